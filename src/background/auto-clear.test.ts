import { describe, expect, it } from 'vitest';
import { defaultSettings, withAppPath, withCustomOrigin, withSiteOptions } from '../core/settings';
import { local } from '../platform/storage';
import { openTab, page, world } from '../test/fake-extension';
import { autoFix } from './auto-clear';
import { tabRecords } from './tab-records';

const L = 'http://lab.test:8080';

/** An origin split into apps, auto-clear on and asked to remove site data too, and one tab judged old at `path`. */
async function staleTabAt(path: string) {
  world.granted.add('http://lab.test/*');
  const settings = withSiteOptions(withAppPath(withCustomOrigin(defaultSettings(), L), L, '/comfy/'), L, { autoClear: true, autoClearSiteData: true });
  await local.set('settings', settings);
  world.origins.set(L, page());
  const tab = await openTab(`${L}${path}`);
  world.documents.set(tab, 'doc-a');
  await tabRecords.set(tab, {
    origin: L, url: `${L}${path}`, assets: [], version: null, navigation: 'navigate', docId: 'doc-a', loadedAt: Date.now(), reportedAt: Date.now(), sizes: { document: null, code: [] },
    verdict: { state: 'stale', missing: 1, from: null, to: null }, judgedAgainst: 'v2',
  });
  return { settings, tab, upgrade: { url: `${L}${path}`, viewId: 'v2', staleTabs: [{ tabId: tab, docId: 'doc-a' }], to: null, app: null } };
}

describe('auto-clear on an origin split into apps', () => {
  it('never acts on a page outside every app: nothing cleared, nothing reloaded, no claim spent', async () => {
    const { settings, upgrade } = await staleTabAt('/other/');
    expect(await autoFix(settings, L, upgrade)).toBe(false);
    expect(world.clearArgs).toEqual([]);
    expect(world.removals).toEqual([]);
    expect(world.reloads).toEqual([]);
    expect(world.origins.get(L)).toEqual(page());
    expect(await local.get('reports')).toBeUndefined();
  });

  it('in an app, clears only the app, and keeps the shared site data even with "also remove site data" on', async () => {
    const { settings, upgrade } = await staleTabAt('/comfy/');
    expect(await autoFix(settings, L, upgrade)).toBe(true);
    expect(world.clearArgs).toEqual([[false, { path: '/comfy/', keep: [] }]]);
    expect(world.removals).toEqual([]);
    expect(world.origins.get(L)).toMatchObject({ databases: ['app-db'], localStorage: { workflow: 'mine' } });
    expect((await local.get('reports'))?.[`${L}/comfy/`]).toMatchObject({ trigger: 'auto', keptSiteData: true, undo: null, scoped: { path: '/comfy/' } });
  });
});
