import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, describe, expect, it } from 'vitest';
import { browser } from '../platform/browser';
import { buildRules } from '../core/dnr-rules';
import { defaultSettings, withCustomOrigin } from '../core/settings';
import { world } from '../test/fake-extension';
import { useSettings } from './settings-store';

const dnr = browser.declarativeNetRequest as unknown as Record<string, unknown>;

afterEach(() => {
  delete dnr.MAX_NUMBER_OF_DYNAMIC_RULES;
  useSettings.setState({ settings: defaultSettings(), writeError: null });
});

describe('settings store', () => {
  it('a write the storage refuses (quota) is said, and the page shows what is really stored', async () => {
    await fakeBrowser.storage.local.set({ settings: defaultSettings() });
    await useSettings.getState().load();
    const set = fakeBrowser.storage.local.set;
    fakeBrowser.storage.local.set = async () => {
      throw new Error('QUOTA_BYTES quota exceeded');
    };
    try {
      const ok = await useSettings.getState().update((s) => withCustomOrigin(s, 'http://gpu-box.local:8188'));
      expect(ok).toBe(false);
    } finally {
      fakeBrowser.storage.local.set = set;
    }
    expect(useSettings.getState().writeError).toEqual({ kind: 'storage', detail: 'QUOTA_BYTES quota exceeded' });
    expect(useSettings.getState().settings).toEqual(defaultSettings());
  });

  it('a change needing more rules than the browser allows is refused before it is saved, naming the limit', async () => {
    await fakeBrowser.storage.local.set({ settings: defaultSettings() });
    await useSettings.getState().load();
    const rulesNow = buildRules(defaultSettings(), new Set()).length;
    dnr.MAX_NUMBER_OF_DYNAMIC_RULES = rulesNow; // a browser with room for exactly today's rules
    world.granted.add('http://gpu-box.local/*');
    const ok = await useSettings.getState().update((s) => withCustomOrigin(s, 'http://gpu-box.local:8188'));
    expect(ok).toBe(false);
    expect(useSettings.getState().writeError).toEqual({ kind: 'limit', limit: 'dynamic', count: rulesNow + 1, max: rulesNow });
    expect((await fakeBrowser.storage.local.get('settings')).settings).toEqual(defaultSettings());
  });

  it('restores a kept-aside copy only when this version can read it', async () => {
    const mine = withCustomOrigin(defaultSettings(), 'http://gpu-box.local:8188');
    await fakeBrowser.storage.local.set({ settings: defaultSettings(), settingsAside: { raw: { ...mine, version: 99 }, kind: 'newer', issue: 'v99', at: 1, dismissed: false } });
    await useSettings.getState().load();
    expect(await useSettings.getState().restoreAside()).toEqual({ ok: false, reason: 'newer' });
    await fakeBrowser.storage.local.set({ settingsAside: { raw: mine, kind: 'damaged', issue: 'x', at: 1, dismissed: false } });
    await useSettings.getState().load();
    expect(await useSettings.getState().restoreAside()).toEqual({ ok: true });
    expect((await fakeBrowser.storage.local.get('settings')).settings).toEqual(mine);
    expect((await fakeBrowser.storage.local.get('settingsAside')).settingsAside).toBeUndefined();
  });
});
