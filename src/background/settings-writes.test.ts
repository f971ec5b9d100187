import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, it } from 'vitest';
import { MAX_APP_PATHS } from '../core/app-path';
import { defaultSettings, withAppPath, withCustomOrigin } from '../core/settings';
import { local } from '../platform/storage';
import { setSite } from './settings-writes';

const O = 'http://lab.test:8080';
const stored = async () => (await local.get('settings')) as { appPaths: Record<string, string[]>; customOrigins: string[] };

describe('setSite add-app', () => {
  it('adds the page\'s directory as an app of an origin already split into apps', async () => {
    await local.set('settings', withAppPath(withCustomOrigin(defaultSettings(), O), O, '/comfy/'));
    expect(await setSite(O, { kind: 'add-app', path: '/other/' })).toEqual({ ok: true });
    expect((await stored()).appPaths).toEqual({ [O]: ['/comfy/', '/other/'] });
  });

  it('never narrows a site protected whole, and says so', async () => {
    await local.set('settings', withCustomOrigin(defaultSettings(), O));
    expect(await setSite(O, { kind: 'add-app', path: '/other/' })).toMatchObject({ ok: false, error: { kind: 'storage' } });
    expect((await stored()).appPaths).toEqual({});
  });

  it('adds to apps the policy declares (the settings in force), into the user\'s own settings', async () => {
    await local.set('settings', defaultSettings());
    await fakeBrowser.storage.managed.set({ protectedOrigins: [`${O}/comfy/`] });
    expect(await setSite(O, { kind: 'add-app', path: '/other/' })).toEqual({ ok: true });
    expect((await stored()).appPaths).toEqual({ [O]: ['/other/'] });
  });

  it(`refuses a ${MAX_APP_PATHS + 1}th app, and says so`, async () => {
    let s = withCustomOrigin(defaultSettings(), O);
    for (let i = 0; i < MAX_APP_PATHS; i++) s = withAppPath(s, O, `/app${i}/`);
    await local.set('settings', s);
    expect(await setSite(O, { kind: 'add-app', path: '/other/' })).toMatchObject({ ok: false, error: { kind: 'storage', detail: expect.stringMatching(/at most 20/) } });
    expect((await stored()).appPaths[O]).toHaveLength(MAX_APP_PATHS);
  });

  it('refuses an address that is not one site\'s, changing nothing', async () => {
    await local.set('settings', withAppPath(withCustomOrigin(defaultSettings(), O), O, '/comfy/'));
    expect(await setSite(`${O}/x`, { kind: 'add-app', path: '/other/' })).toMatchObject({ ok: false });
    expect((await stored()).appPaths).toEqual({ [O]: ['/comfy/'] });
  });
});
