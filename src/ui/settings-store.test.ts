/**
 * The settings pages' store against the real background handlers, over the
 * fake browser's messaging: the pages ask, the background alone writes.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uiHandlers } from '../background/handlers';
import { buildRules } from '../core/dnr-rules';
import { defaultSettings, withCustomOrigin, withFoundOrigin } from '../core/settings';
import { browser } from '../platform/browser';
import { handleMessages } from '../platform/message-handlers';
import { updateSettings } from '../platform/storage';
import { world } from '../test/fake-extension';
import { useSettings } from './settings-store';

const dnr = browser.declarativeNetRequest as unknown as Record<string, unknown>;
const stored = async () => (await fakeBrowser.storage.local.get('settings')).settings;

beforeEach(async () => {
  handleMessages(uiHandlers, () => Promise.resolve()); // the background, listening (started)
  await fakeBrowser.storage.local.set({ settings: defaultSettings() });
  await useSettings.getState().load();
});
afterEach(() => {
  delete dnr.MAX_NUMBER_OF_DYNAMIC_RULES;
  useSettings.setState({ settings: defaultSettings(), writeError: null });
});

describe('settings store', () => {
  it('a tool the background finds while the settings page is open survives the user flipping a switch there', async () => {
    // The page has loaded its copy; meanwhile the background recognises Gradio on :9000.
    await updateSettings((s) => withFoundOrigin(s, 'http://localhost:9000'));
    expect(await useSettings.getState().edit({ op: 'flag', key: 'allLoopbackPorts', value: true })).toBe(true);
    expect(await stored()).toMatchObject({ allLoopbackPorts: true, foundOrigins: ['http://localhost:9000'] });
    expect(useSettings.getState().settings.foundOrigins).toEqual(['http://localhost:9000']);
  });

  it('a write the storage refuses (quota) is said, and the page shows what is really stored', async () => {
    const set = fakeBrowser.storage.local.set;
    fakeBrowser.storage.local.set = async () => {
      throw new Error('QUOTA_BYTES quota exceeded');
    };
    try {
      expect(await useSettings.getState().edit({ op: 'add-origin', origin: 'http://gpu-box.local:8188' })).toBe(false);
    } finally {
      fakeBrowser.storage.local.set = set;
    }
    expect(useSettings.getState().writeError).toEqual({ kind: 'storage', detail: 'QUOTA_BYTES quota exceeded' });
    expect(useSettings.getState().settings).toEqual(defaultSettings());
  });

  it('a change needing more rules than the browser allows is refused before it is saved, naming the limit', async () => {
    const rulesNow = buildRules(defaultSettings(), new Set()).length;
    dnr.MAX_NUMBER_OF_DYNAMIC_RULES = rulesNow; // a browser with room for exactly today's rules
    world.granted.add('http://gpu-box.local/*');
    expect(await useSettings.getState().edit({ op: 'add-origin', origin: 'http://gpu-box.local:8188' })).toBe(false);
    expect(useSettings.getState().writeError).toEqual({ kind: 'limit', limit: 'dynamic', count: rulesNow + 1, max: rulesNow });
    expect(await stored()).toEqual(defaultSettings());
  });

  it('an edit that is not one of the declared ones is refused by the background and changes nothing', async () => {
    const answer = await browser.runtime.sendMessage({ type: 'edit-settings', edit: { op: 'flag', key: 'undoCapMb', value: true } });
    expect(answer).toBeUndefined();
    const replaced = await browser.runtime.sendMessage({ type: 'edit-settings', edit: { op: 'replace', settings: { ...defaultSettings(), undoCapMb: -1 } } });
    expect(replaced).toBeUndefined();
    expect(await stored()).toEqual(defaultSettings());
  });

  it('restores a kept-aside copy only when this version can read it', async () => {
    const mine = withCustomOrigin(defaultSettings(), 'http://gpu-box.local:8188');
    await fakeBrowser.storage.local.set({ settingsAside: { raw: { ...mine, version: 99 }, kind: 'newer', issue: 'v99', at: 1, dismissed: false } });
    expect(await useSettings.getState().restoreAside()).toEqual({ ok: false, reason: 'newer' });
    await fakeBrowser.storage.local.set({ settingsAside: { raw: mine, kind: 'damaged', issue: 'x', at: 1, dismissed: false } });
    expect(await useSettings.getState().restoreAside()).toEqual({ ok: true });
    expect(await stored()).toEqual(mine);
    expect((await fakeBrowser.storage.local.get('settingsAside')).settingsAside).toBeUndefined();
  });
});
