import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from '@webext-core/fake-browser';
import { defaultSettings, withSiteOptions } from '../core/settings';
import { local, session } from '../platform/storage';
import { openTab, page, world } from '../test/fake-extension';
import { FakeServer } from '../test/fake-server';
import { newlyAutoCleared, onOriginVisit } from './auto-clear';

const A = 'http://localhost:8188';
const B = 'http://localhost:8189';
let server: FakeServer;

/** Another visit after the debounce window. */
async function later(): Promise<void> {
  await session.set('lastCheck', {});
}

beforeEach(async () => {
  server = new FakeServer();
  vi.stubGlobal('fetch', server.fetch);
  await local.set('settings', withSiteOptions(defaultSettings(), A, { autoClear: true }));
  world.origins.set(A, page());
  world.origins.set(B, page());
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('auto-clear on update', () => {
  it('first visit records a baseline and clears nothing', async () => {
    const tab = await openTab(`${A}/`);
    expect(await onOriginVisit(A, tab)).toBe('baseline');
    expect((await local.get('fingerprints'))?.[A]).toMatchObject({ app: 'comfyui', version: '0.3.1' });
    expect(world.removals).toEqual([]);
    expect(world.reloads).toEqual([]);
  });

  it('an unchanged app clears nothing', async () => {
    const tab = await openTab(`${A}/`);
    await onOriginVisit(A, tab);
    await later();
    expect(await onOriginVisit(A, tab)).toBe('same');
    expect(world.removals).toEqual([]);
    expect(world.origins.get(A)).toEqual(page());
  });

  it('an upgrade clears code caches (not site data), reloads that origin\'s tabs once and says so', async () => {
    const tab = await openTab(`${A}/`);
    const other = await openTab(`${A}/queue`);
    const bystander = await openTab(`${B}/`);
    await onOriginVisit(A, tab);
    server.version = 2;
    await later();

    expect(await onOriginVisit(A, tab)).toBe('updated');

    expect(world.origins.get(A)).toMatchObject({ serviceWorkers: 0, caches: [], localStorage: { workflow: 'mine' }, databases: ['app-db'] });
    expect(world.origins.get(B)).toEqual(page());
    expect(world.removals).toEqual([{ filter: { origins: [A] }, types: { cache: true, cacheStorage: true, serviceWorkers: true } }]);
    expect(world.reloads.map((r) => r.tabId).sort()).toEqual([tab, other].sort());
    expect(world.reloads.map((r) => r.tabId)).not.toContain(bystander);
    expect((await local.get('fingerprints'))?.[A]?.version).toBe('0.3.2');
    expect((await local.get('reports'))?.[A]?.trigger).toBe('auto');
    expect(await fakeBrowser.notifications.getAll()).toHaveProperty(`auto-${A}`);
  });

  it('records the new fingerprint before clearing, so a failure cannot loop', async () => {
    const tab = await openTab(`${A}/`);
    await onOriginVisit(A, tab);
    server.version = 2;
    world.beforeRemove = () => {
      throw new Error('browsingData failed');
    };
    await later();
    await expect(onOriginVisit(A, tab)).rejects.toThrow('browsingData failed');
    world.beforeRemove = null;
    await later();
    expect(await onOriginVisit(A, tab)).toBe('same');
  });

  it('after the automatic reload, the next visit is "same": at most one reload', async () => {
    const tab = await openTab(`${A}/`);
    await onOriginVisit(A, tab);
    server.version = 2;
    await later();
    await onOriginVisit(A, tab);
    await later();
    await onOriginVisit(A, tab);
    expect(world.reloads).toHaveLength(1);
  });

  it.each([
    ['down', (s: FakeServer) => void (s.down = true)],
    ['answering garbage', (s: FakeServer) => void (s.garbage = true)],
  ])('a server %s clears nothing and keeps the stored fingerprint', async (_, breakIt) => {
    const tab = await openTab(`${A}/`);
    await onOriginVisit(A, tab);
    const before = (await local.get('fingerprints'))?.[A];
    breakIt(server);
    await later();
    expect(await onOriginVisit(A, tab)).toBe('unreachable');
    expect((await local.get('fingerprints'))?.[A]).toEqual(before);
    expect(world.removals).toEqual([]);
    expect(world.reloads).toEqual([]);
  });

  it('ten tabs activating at once make one fetch', async () => {
    const tabs = await Promise.all(Array.from({ length: 10 }, () => openTab(`${A}/`)));
    await Promise.all(tabs.map((t) => onOriginVisit(A, t)));
    expect(server.hits.filter((p) => p === '/')).toHaveLength(1);
  });

  it('ten tabs visiting together after an upgrade clear once and reload each tab once', async () => {
    const tabs = await Promise.all(Array.from({ length: 10 }, () => openTab(`${A}/`)));
    await onOriginVisit(A, tabs[0]);
    server.version = 2;
    await later();
    await Promise.all(tabs.map((t) => onOriginVisit(A, t)));
    expect(world.removals).toHaveLength(1);
    expect(world.reloads.map((r) => r.tabId).sort()).toEqual([...tabs].sort());
  });

  it('does nothing for an origin without the toggle', async () => {
    const tab = await openTab(`${B}/`);
    expect(await onOriginVisit(B, tab)).toBe('skipped');
    expect(server.hits).toEqual([]);
  });
});

describe('newlyAutoCleared', () => {
  it('lists the origins whose toggle just went on', () => {
    const before = defaultSettings();
    const after = withSiteOptions(withSiteOptions(before, A, { autoClear: true }), B, { keepSiteData: true });
    expect(newlyAutoCleared(before, after)).toEqual([A]);
    expect(newlyAutoCleared(after, after)).toEqual([]);
  });
});
