import { describe, expect, it } from 'vitest';
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

  it('never narrows a site protected whole', async () => {
    await local.set('settings', withCustomOrigin(defaultSettings(), O));
    expect(await setSite(O, { kind: 'add-app', path: '/other/' })).toEqual({ ok: true });
    expect((await stored()).appPaths).toEqual({});
  });

  it('refuses an address that is not one site\'s, changing nothing', async () => {
    await local.set('settings', withAppPath(withCustomOrigin(defaultSettings(), O), O, '/comfy/'));
    expect(await setSite(`${O}/x`, { kind: 'add-app', path: '/other/' })).toMatchObject({ ok: false });
    expect((await stored()).appPaths).toEqual({ [O]: ['/comfy/'] });
  });
});
