import { describe, expect, it, vi } from 'vitest';
import { defaultSettings, withAppPath, withCustomOrigin, withSiteOptions } from '../core/settings';
import { local } from '../platform/storage';
import { closeTab, openTab, page, setFirefox, stopWorker, world } from '../test/fake-extension';
import { COOLDOWN_MS, INTERRUPTED, claimBusyNotice, clearAndReload, clearJournal, resumeInterruptedClears } from './clear-and-reload';

/** Clears still under way (a finished clear leaves only its cool-down). */
const unfinishedClears = async () => Object.fromEntries([...(await clearJournal.all())].filter(([, e]) => e.finishedAt === null));
const entry = (origin: string, trigger: 'popup' | 'shortcut', startedAt: number) => ({ origin, trigger, startedAt, finishedAt: null, noticed: false });

const A = 'http://localhost:7860';
const B = 'http://localhost:8501';

describe('clearAndReload', () => {
  it('clears the exact origin in the page and in the browser, reloads bypassing the cache, and reports', async () => {
    world.origins.set(A, page());
    world.origins.set(B, page());
    const tab = await openTab(`${A}/?__theme=dark`);

    const result = await clearAndReload(tab, 'popup');

    expect(result).toMatchObject({ ok: true, report: { origin: A, serviceWorkers: 1, caches: ['shell-v1'], localStorageItems: 1, sessionStorageItems: 1, bytesBefore: 5_000_000, bytesAfter: 1000 } });
    expect(world.origins.get(A)).toMatchObject({ serviceWorkers: 0, caches: [], databases: [], localStorage: {}, sessionStorage: {} });
    expect(world.origins.get(B)).toEqual(page());
    // The page step cleared the rest in the page's own origin; the browser only has the HTTP cache left to do.
    expect(world.removals).toEqual([{ filter: { origins: [A] }, types: { cache: true } }]);
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: true }]);
    expect((await local.get('reports'))?.[A]?.trigger).toBe('popup');
    expect(await unfinishedClears()).toEqual({});
  });

  it('in Firefox scopes browsingData by host:port, never the bare host (which hits every port)', async () => {
    setFirefox(true);
    world.origins.set(A, page());
    await clearAndReload(await openTab(`${A}/`), 'shortcut');
    expect(world.removals).toEqual([{ filter: { hostnames: ['localhost:7860'] }, types: { cache: true } }]);
  });

  it('"keep site data" leaves localStorage and IndexedDB alone', async () => {
    await local.set('settings', withSiteOptions(defaultSettings(), A, { keepSiteData: true }));
    world.origins.set(A, page());
    const result = await clearAndReload(await openTab(`${A}/`), 'popup');
    expect(result).toMatchObject({ ok: true, report: { keptSiteData: true } });
    expect(world.origins.get(A)).toMatchObject({ serviceWorkers: 0, caches: [], databases: ['app-db'], localStorage: { workflow: 'mine' } });
    expect(world.removals[0]!.types).toEqual({ cache: true });
  });

  it('clears cookies only when opted in, and then for the host', async () => {
    await local.set('settings', withSiteOptions(defaultSettings(), A, { includeCookies: true }));
    setFirefox(true);
    world.origins.set(A, page());
    await clearAndReload(await openTab(`${A}/`), 'popup');
    expect(world.removals).toEqual([
      { filter: { hostnames: ['localhost:7860'] }, types: { cache: true } },
      { filter: { hostnames: ['localhost'], cookieStoreId: 'firefox-default' }, types: { cookies: true } },
    ]);
  });

  it('reports a database the app still holds open as blocked, and has the browser remove it', async () => {
    world.origins.set(A, page({ busyDatabases: ['app-db'] }));
    const result = await clearAndReload(await openTab(`${A}/`), 'popup');
    expect(result).toMatchObject({ ok: true, report: { indexedDB: [{ name: 'app-db', outcome: 'blocked' }] } });
    expect(world.removals.map((r) => r.types)).toEqual([{ cache: true }, { indexedDB: true }]);
  });

  it('a page that could not be scripted gets the whole clear from the browser', async () => {
    const tab = await openTab(`${A}/`); // no page state: scripting refused, so no backup and no site data removed
    await clearAndReload(tab, 'popup', { choice: { withoutUndo: true } });
    expect(world.removals.map((r) => r.types)).toEqual([{ cache: true }, { cacheStorage: true, serviceWorkers: true, localStorage: true, indexedDB: true }]);
  });

  it('in an app under a path, clears only that app in the page, leaves the origin\'s HTTP cache and shared data, and says so', async () => {
    const L = 'http://lab.test:8080';
    world.granted.add('http://lab.test/*');
    await local.set('settings', withAppPath(withCustomOrigin(defaultSettings(), L), L, '/comfy/'));
    world.origins.set(L, page());
    const tab = await openTab(`${L}/comfy/?x=1`);
    const result = await clearAndReload(tab, 'popup');
    expect(world.clearArgs).toEqual([[false, { path: '/comfy/', keep: [] }]]);
    // No browser type is scoped to a path: the other apps keep the origin's HTTP cache; the hard reload refreshes this one.
    expect(world.removals).toEqual([]);
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: true }]);
    expect(result).toMatchObject({ ok: true, report: { keptSiteData: true, scoped: { path: '/comfy/' } } });
    expect(world.origins.get(L)).toMatchObject({ databases: ['app-db'], localStorage: { workflow: 'mine' } });

    // The rest of the origin, outside its declared apps: everything but the apps, and still no shared data.
    world.origins.set(L, page());
    const rest = await clearAndReload(await openTab(`${L}/other/`), 'popup', { choice: { withoutUndo: true } });
    expect(world.clearArgs.at(-1)).toEqual([false, { path: null, keep: ['/comfy/'] }]);
    expect(rest).toMatchObject({ ok: true, report: { keptSiteData: true, scoped: { path: null } } });
    expect(world.removals).toEqual([]);
  });

  it.each(['chrome://extensions', 'about:addons', 'https://chromewebstore.google.com/detail/x', 'file:///tmp/x.html'])(
    'refuses %s and touches nothing',
    async (url) => {
      const result = await clearAndReload(await openTab(url), 'shortcut');
      expect(result).toMatchObject({ ok: false, error: 'restricted' });
      expect(world.removals).toEqual([]);
      expect(world.reloads).toEqual([]);
      expect(world.scriptCalls).toEqual([]);
    },
  );

  it('a tab closed mid-clear ends as "tab-closed", with no reload and no journal left', async () => {
    world.origins.set(A, page());
    const tab = await openTab(`${A}/`);
    world.beforeRemove = () => closeTab(tab);
    const result = await clearAndReload(tab, 'shortcut');
    expect(result).toEqual({ ok: false, error: 'tab-closed' });
    expect(world.reloads).toEqual([]);
    expect(await unfinishedClears()).toEqual({});
  });

  it('a closed tab id is "tab-closed"', async () => {
    expect(await clearAndReload(987, 'popup')).toEqual({ ok: false, error: 'tab-closed' });
  });

  it('a second press while a clear runs does not start another', async () => {
    world.origins.set(A, page());
    const tab = await openTab(`${A}/`);
    const [first, second] = await Promise.all([clearAndReload(tab, 'popup'), clearAndReload(tab, 'shortcut')]);
    expect([first.ok, second]).toEqual([true, { ok: false, error: 'busy' }]);
    expect(world.reloads).toHaveLength(1);
  });

  it('never scripts another origin when the tab navigates away mid-clear', async () => {
    world.origins.set(A, page());
    world.origins.set(B, page());
    const tab = await openTab(`${A}/`);
    const { fakeBrowser } = await import('@webext-core/fake-browser');
    world.beforeScript = async (id) => {
      world.beforeScript = null;
      await fakeBrowser.tabs.update(id, { url: `${B}/` });
    };
    const result = await clearAndReload(tab, 'popup');
    expect(world.origins.get(B)).toEqual(page());
    expect(result).toMatchObject({ ok: true, report: { origin: A, pageStep: 'unavailable' } });
  });

  it('an unscriptable page (an error page) still gets the browser-level clear and reload', async () => {
    const tab = await openTab(`${A}/`); // no page state: scripting is refused
    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({ ok: true, report: { pageStep: 'unavailable' } });
    expect(world.removals.map((r) => r.types)).toEqual([{ cache: true }, { cacheStorage: true, serviceWorkers: true }]);
    expect(world.reloads).toHaveLength(1);
  });
});

describe('resumeInterruptedClears (the worker was stopped mid-clear)', () => {
  it('finishes a clear that a stopped worker left half done', async () => {
    world.origins.set(A, page({ serviceWorkers: 0, caches: [] })); // the page step had run
    const tab = await openTab(`${A}/`);
    await clearJournal.set(tab, entry(A, 'shortcut', Date.now() - 1000));

    await resumeInterruptedClears();

    expect(world.origins.get(A)).toMatchObject({ localStorage: {}, databases: [] });
    expect(world.removals).toHaveLength(1);
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: true }]);
    expect(await unfinishedClears()).toEqual({});
  });

  it('a clear interrupted too long ago is not resumed, but the site\'s report says it was interrupted', async () => {
    world.origins.set(A, page());
    const tab = await openTab(`${A}/`);
    await clearJournal.set(tab, entry(A, 'popup', Date.now() - 5 * 60_000));
    await resumeInterruptedClears();
    expect(world.origins.get(A)).toEqual(page());
    expect(world.reloads).toEqual([]);
    expect(await unfinishedClears()).toEqual({});
    expect((await local.get('reports'))?.[A]).toMatchObject({ trigger: 'popup', failure: INTERRUPTED, undo: null });
  });

  it('drops the entry, clearing nothing, when the tab now shows another origin or is gone', async () => {
    world.origins.set(B, page());
    const tab = await openTab(`${B}/`);
    await clearJournal.set(tab, entry(A, 'popup', Date.now()));
    await clearJournal.set(999, entry(A, 'popup', Date.now()));
    await resumeInterruptedClears();
    expect(world.origins.get(B)).toEqual(page());
    expect(world.removals).toEqual([]);
    expect(world.reloads).toEqual([]);
    expect(await unfinishedClears()).toEqual({});
  });

  it('resumes a clear begun in an app under a path only while the tab is still in that app', async () => {
    const L = 'http://lab.test:8080';
    world.granted.add('http://lab.test/*');
    await local.set('settings', withAppPath(withCustomOrigin(defaultSettings(), L), L, '/comfy/'));
    world.origins.set(L, page());
    const moved = await openTab(`${L}/other/`);
    await clearJournal.set(moved, { ...entry(L, 'popup', Date.now()), appPath: '/comfy/' });
    await resumeInterruptedClears();
    expect(world.clearArgs).toEqual([]);
    expect(world.reloads).toEqual([]);

    const stayed = await openTab(`${L}/comfy/`);
    await clearJournal.set(stayed, { ...entry(L, 'popup', Date.now()), appPath: '/comfy/' });
    await resumeInterruptedClears();
    expect(world.clearArgs).toEqual([[false, { path: '/comfy/', keep: [] }]]);
  });

  it('does not replay a stale entry', async () => {
    world.origins.set(A, page());
    const tab = await openTab(`${A}/`);
    await clearJournal.set(tab, entry(A, 'popup', Date.now() - 10 * 60_000));
    await resumeInterruptedClears();
    expect(world.reloads).toEqual([]);
    expect(await unfinishedClears()).toEqual({});
  });

  it('8 tabs cleared together are all journaled, and a restarted worker resumes all 8', async () => {
    const tabs: number[] = [];
    for (let i = 0; i < 8; i++) {
      const origin = `http://localhost:${7860 + i}`;
      world.origins.set(origin, page());
      tabs.push(await openTab(`${origin}/`));
    }
    // The worker "stops" inside the page step of every clear: their journal entries are what is left.
    let release!: () => void;
    const stopped = new Promise<void>((r) => (release = r));
    world.beforeScript = () => stopped;
    const abandoned = tabs.map((t) => clearAndReload(t, 'shortcut'));
    await vi.waitFor(async () => expect(Object.keys(await unfinishedClears())).toHaveLength(8));

    // A new worker (fresh memory, the same storage) finishes every one of them.
    stopWorker();
    vi.resetModules();
    const restarted = await import('./clear-and-reload');
    (await import('../platform/undo-ports')).listenForUndoPorts(); // a new worker registers its listeners
    world.beforeScript = null;
    await restarted.resumeInterruptedClears();
    expect(world.reloads.map((r) => r.tabId).sort()).toEqual([...tabs].sort());
    for (let i = 0; i < 8; i++) expect(world.origins.get(`http://localhost:${7860 + i}`)).toMatchObject({ localStorage: {}, databases: [] });
    release();
    await Promise.all(abandoned);
  });
});

describe('one clear per intent', () => {
  it('a held key (20 presses in 1.4 s) clears once; one "already clearing" notice at most', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      world.origins.set(A, page());
      const tab = await openTab(`${A}/`);
      const results = [];
      let notices = 0;
      for (let i = 0; i < 20; i++) {
        const result = await clearAndReload(tab, 'shortcut');
        results.push(result);
        if (!result.ok && (await claimBusyNotice(tab))) notices++;
        world.origins.set(A, page()); // the reloading app writes its data again
        vi.setSystemTime(Date.now() + 70);
      }
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.error === 'busy')).toHaveLength(19);
      expect(notices).toBe(1);
      expect(world.reloads).toHaveLength(1);
      expect(world.removals).toHaveLength(1);
      // Once the reloaded page is back and the cool-down has passed, the next press clears again.
      vi.setSystemTime(Date.now() + COOLDOWN_MS);
      expect(await clearAndReload(tab, 'shortcut')).toMatchObject({ ok: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it('the cool-down lasts while the reloaded page is still loading', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      world.origins.set(A, page());
      const tab = await openTab(`${A}/`);
      await clearAndReload(tab, 'popup');
      world.loadingTabs.add(tab);
      vi.setSystemTime(Date.now() + COOLDOWN_MS + 1000);
      expect(await clearAndReload(tab, 'popup')).toEqual({ ok: false, error: 'busy' });
      world.loadingTabs.delete(tab);
      expect(await clearAndReload(tab, 'popup')).toMatchObject({ ok: true });
    } finally {
      vi.useRealTimers();
    }
  });
});
