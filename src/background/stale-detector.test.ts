import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings, withSiteOptions, type Settings } from '../core/settings';
import type { Navigation, PageReport } from '../core/staleness';
import { local, readSettings } from '../platform/storage';
import { openTab, page, world } from '../test/fake-extension';
import { FakeServer } from '../test/fake-server';
import { CHECK_WINDOW_MS, setTrailingHandler } from './server-checks';
import { forgetTab, onFrameReport, onNoticeClear, onPageReport, onPageSignal, onTrailingCheck, periodicCheck, rejudgeOrigins, resetRateLimits, revisitTab } from './stale-detector';
import { framesOf, tabFrames, tabRecords } from './tab-records';
import { autoClearSwitchedOn } from './auto-clear';
import { SIGNAL_CHECK_GAP_MS } from '../core/page-signals';
import { uiHandlers } from './handlers';

const A = 'http://localhost:8188';
let server: FakeServer;

/** A report without sizes: these cases are judged by their versioned code URLs. */
const NO_SIZES = { document: null, code: [] };

let docs = 0;
/** A new document each time (as every load is), loaded now. */
function reportOf(version: number, navigation: Navigation = 'navigate', origin = A, shape = server.shape): PageReport {
  return { assets: FakeServer.assetsOf(origin, shape(version)), app: 'comfyui', version: null, navigation, docId: `doc-${++docs}-0000`, loadedAt: Date.now(), sizes: NO_SIZES };
}

async function visit(tabId: number, version: number, navigation: Navigation = 'navigate', url = `${A}/`) {
  const report = reportOf(version, navigation, new URL(url).origin);
  world.documents.set(tabId, report.docId);
  return onPageReport({ id: tabId, url }, report);
}

const pageRequests = () => server.hits.filter((p) => p === '/').length;
const badge = (tabId: number) => fakeBrowser.action.getBadgeText({ tabId });
const verdictOf = async (tabId: number) => (await tabRecords.get(tabId))?.verdict;

/** Another check after the window: the user came back some time later. */
function timePasses(ms = CHECK_WINDOW_MS + 1): void {
  vi.setSystemTime(Date.now() + ms);
}

async function setSettings(change: (s: Settings) => Settings): Promise<void> {
  await local.set('settings', change((await readSettings()).settings));
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
  server = new FakeServer();
  vi.stubGlobal('fetch', server.fetch);
  await local.set('settings', defaultSettings());
  world.origins.set(A, page());
  setTrailingHandler(onTrailingCheck);
  resetRateLimits();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('page vs server', () => {
  it('a page that loaded what the server serves is up to date: no mark, one request', async () => {
    const tab = await openTab(`${A}/`);
    expect(await visit(tab, 1)).toEqual({ reload: false });
    expect(await verdictOf(tab)).toEqual({ state: 'fresh' });
    expect(await badge(tab)).toBe('');
    expect(pageRequests()).toBe(1);
  });

  it('a page kept on the old build (by its service worker) runs old code: badge mark with the upgrade named', async () => {
    const tab = await openTab(`${A}/`);
    server.version = 2;
    await visit(tab, 1);
    expect(await verdictOf(tab)).toEqual({ state: 'stale', missing: 2, from: null, to: '0.3.2' });
    expect(await badge(tab)).toBe('badgeStale');
    expect(await fakeBrowser.action.getTitle({ tabId: tab })).toBe('badgeStaleTitle(staleTo(0.3.2))');
    // Fresh again (after a clear): the mark goes.
    timePasses();
    await visit(tab, 2, 'reload');
    expect(await verdictOf(tab)).toEqual({ state: 'fresh' });
    expect(await badge(tab)).toBe('');
  });

  it('opening the popup asks the server for the page once: its check and the version it shows share the request', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    const before = pageRequests();
    const [verdict, version] = await Promise.all([uiHandlers['check-tab']({ tabId: tab }), uiHandlers['check-version']({ origin: A })]);
    expect(verdict).toEqual({ state: 'fresh' });
    expect(version).toMatchObject({ ok: true, fingerprint: { app: 'comfyui', version: '0.3.1' } });
    expect(pageRequests()).toBe(before + 1);
  });

  it('names both versions when an earlier check recorded the old one', async () => {
    const tab = await openTab(`${A}/`);
    await local.set('fingerprints', { [A]: { id: 'old', app: 'comfyui', version: '0.3.1', assetCount: 2, checkedAt: 1 } });
    server.version = 2;
    await visit(tab, 1);
    expect(await verdictOf(tab)).toMatchObject({ state: 'stale', from: '0.3.1', to: '0.3.2' });
    expect(await fakeBrowser.action.getTitle({ tabId: tab })).toBe('badgeStaleTitle(staleChange(0.3.1,0.3.2))');
  });

  it('scripts the app injected at run time do not read as old', async () => {
    const tab = await openTab(`${A}/`);
    const report = reportOf(1);
    report.assets.push(`${A}/assets/lazy-chunk-9f8e7d6c.js`, 'https://cdn.example/widget.js');
    await onPageReport({ id: tab, url: `${A}/` }, report);
    expect(await verdictOf(tab)).toEqual({ state: 'fresh' });
  });

  it.each([
    ['down', (s: FakeServer) => void (s.down = true), 'unreachable'],
    ['answering JSON', (s: FakeServer) => void (s.garbage = true), 'not-html'],
    ['redirecting to a login', (s: FakeServer) => void (s.redirectTo = '/login'), 'redirect'],
  ])('a server %s is "can\'t tell": no mark, no reload, nothing cleared', async (_, breakIt, reason) => {
    await setSettings((s) => withSiteOptions(s, A, { autoClear: true }));
    const tab = await openTab(`${A}/`);
    breakIt(server);
    expect(await visit(tab, 1, 'back_forward')).toEqual({ reload: false });
    expect(await verdictOf(tab)).toEqual({ state: 'unknown', reason });
    expect(await badge(tab)).toBe('');
    expect(world.removals).toEqual([]);
    expect(world.reloads).toEqual([]);
  });

  it('ten tabs of one app loading together make one request', async () => {
    const tabs = await Promise.all(Array.from({ length: 10 }, () => openTab(`${A}/`)));
    await Promise.all(tabs.map((t) => visit(t, 1)));
    expect(pageRequests()).toBe(1);
    for (const t of tabs) expect(await verdictOf(t)).toEqual({ state: 'fresh' });
  });

  it('asks nothing about an unprotected plain page, and keeps no record of it', async () => {
    const tab = await openTab('http://localhost:4173/');
    const report = { assets: ['http://localhost:4173/src/main.js'], app: null, version: null, navigation: 'navigate' as const, docId: 'plain-doc-1', loadedAt: Date.now(), sizes: NO_SIZES };
    expect(await onPageReport({ id: tab, url: 'http://localhost:4173/' }, report)).toEqual({ reload: false });
    expect(server.hits).toEqual([]);
    expect(await tabRecords.get(tab)).toBeUndefined();
  });

  it('a paused site is not checked', async () => {
    await setSettings((s) => withSiteOptions(s, A, { protect: false }));
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    expect(server.hits).toEqual([]);
  });
});

describe('Back/Forward', () => {
  it('an unchanged app that comes back through history is left as the browser restored it', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    timePasses();
    expect(await visit(tab, 1, 'back_forward')).toEqual({ reload: false });
    timePasses();
    expect(await visit(tab, 1, 'bfcache')).toEqual({ reload: false });
  });

  it('a history return that runs old code is reloaded, once per upgrade', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    server.version = 2;
    timePasses();
    expect(await visit(tab, 1, 'back_forward')).toEqual({ reload: true });
    // Still old after the reload (say, a service worker serves it): no second reload, no loop.
    timePasses();
    expect(await visit(tab, 1, 'back_forward')).toEqual({ reload: false });
    expect(await badge(tab)).toBe('badgeStale');
  });

  it('an ordinary load that runs old code is marked, never reloaded by the detector', async () => {
    const tab = await openTab(`${A}/`);
    server.version = 2;
    expect(await visit(tab, 1, 'navigate')).toEqual({ reload: false });
    expect(world.reloads).toEqual([]);
  });
});

describe('auto-clear through the detector', () => {
  beforeEach(async () => {
    await setSettings((s) => withSiteOptions(s, A, { autoClear: true }));
  });

  it('a page already stale on its first visit is fixed then: code caches cleared, that tab reloaded once, data kept', async () => {
    const tab = await openTab(`${A}/`);
    const bystander = await openTab('http://localhost:8189/');
    world.origins.set('http://localhost:8189', page());
    server.version = 2;
    await visit(tab, 1);
    expect(world.removals).toEqual([{ filter: { origins: [A] }, types: { cache: true } }]);
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: false }]); // the document reloads itself (platform/tabs reloadDocument)
    expect(world.origins.get(A)).toMatchObject({ serviceWorkers: 0, caches: [], localStorage: { workflow: 'mine' }, databases: ['app-db'] });
    expect(world.origins.get('http://localhost:8189')).toEqual(page());
    expect(world.reloads.map((r) => r.tabId)).not.toContain(bystander);
    expect((await local.get('reports'))?.[A]?.trigger).toBe('auto');
    expect(await fakeBrowser.notifications.getAll()).toHaveProperty(`auto-${A}`);
  });

  it('acts once per upgrade: a page still old after the fix is not cleared or reloaded again', async () => {
    const tab = await openTab(`${A}/`);
    server.version = 2;
    await visit(tab, 1);
    timePasses();
    await visit(tab, 1, 'reload');
    timePasses();
    await visit(tab, 1, 'back_forward');
    expect(world.removals).toHaveLength(1);
    expect(world.reloads).toHaveLength(1);
    // The next upgrade is a new one.
    server.version = 3;
    timePasses();
    await visit(tab, 1, 'reload');
    expect(world.removals).toHaveLength(2);
  });

  it('a fix that found no page to clear in (the tab was loading another page) gets one more attempt, never a third', async () => {
    const tab = await openTab(`${A}/`);
    server.version = 2;
    world.beforeScript = () => {
      throw new Error('the page is being replaced');
    };
    await visit(tab, 1);
    // Only the browser-level step ran: in Firefox that leaves the service worker, so the reloaded page may still be old.
    expect(world.removals).toHaveLength(1);
    expect(world.reloads).toHaveLength(1);
    timePasses();
    await visit(tab, 1, 'reload');
    expect(world.removals).toHaveLength(2);
    expect(world.reloads).toHaveLength(2);
    timePasses();
    await visit(tab, 1, 'reload');
    expect(world.removals).toHaveLength(2);
    expect(world.reloads).toHaveLength(2);
  });

  it('a fix whose page step ran is not repeated for the same upgrade', async () => {
    const tab = await openTab(`${A}/`);
    server.version = 2;
    await visit(tab, 1);
    world.beforeScript = () => {
      throw new Error('the page is being replaced');
    };
    timePasses();
    await visit(tab, 1, 'reload');
    expect(world.reloads).toHaveLength(1);
  });

  it('a history return on an auto-clear site is fixed by the clear, not reloaded twice', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    server.version = 2;
    timePasses();
    expect(await visit(tab, 1, 'back_forward')).toEqual({ reload: false });
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: false }]);
  });

  it('switching auto-clear on fixes a page that is already stale', async () => {
    await setSettings(() => defaultSettings());
    const tab = await openTab(`${A}/`);
    server.version = 2;
    await visit(tab, 1);
    expect(world.reloads).toEqual([]);
    const before = (await readSettings()).settings;
    const after = withSiteOptions(before, A, { autoClear: true });
    await local.set('settings', after);
    await rejudgeOrigins((_, origin) => autoClearSwitchedOn(before, after, origin));
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: false }]);
  });

  it('a visit inside the window is judged from the last answer, and a trailing check at the window\'s end catches an upgrade', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    expect(pageRequests()).toBe(1);
    server.version = 2; // upgraded 1 s later; the service worker still serves v1
    vi.setSystemTime(Date.now() + 3000);
    await visit(tab, 1, 'reload');
    expect(pageRequests()).toBe(1);
    expect(world.reloads).toEqual([]);
    await vi.advanceTimersByTimeAsync(CHECK_WINDOW_MS);
    await vi.waitFor(() => expect(world.reloads).toEqual([{ tabId: tab, bypassCache: false }]));
    // The trailing check, and the second answer a stale verdict needs before anything is done.
    expect(pageRequests()).toBe(3);
  });

  it('the periodic check finds an upgrade in a tab left open', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    server.version = 2;
    timePasses(5 * 60_000);
    await periodicCheck();
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: false }]);
  });

  it('bringing a tab to the front judges it again', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    server.version = 2;
    timePasses();
    expect(await revisitTab(tab)).toMatchObject({ state: 'stale' });
  });
});

describe('recognising AI tools on any loopback port', () => {
  const UNUSUAL = 'http://127.0.0.1:9000';

  it('protects a recognised tool after one request of its own, and lists it as found', async () => {
    const tab = await openTab(`${UNUSUAL}/`);
    await visit(tab, 1, 'navigate', `${UNUSUAL}/`);
    const { settings } = await readSettings();
    expect(settings.foundOrigins).toEqual([UNUSUAL]);
    expect(world.rules.map((r) => r.condition.urlFilter)).toContain(`|${UNUSUAL}/`);
    expect(pageRequests()).toBe(1);
    expect(await verdictOf(tab)).toEqual({ state: 'fresh' });
  });

  it('a page whose markers lie is not protected when the server says otherwise', async () => {
    server = new FakeServer(FakeServer.plain);
    vi.stubGlobal('fetch', server.fetch);
    const tab = await openTab(`${UNUSUAL}/`);
    await onPageReport({ id: tab, url: `${UNUSUAL}/` }, { assets: [], app: 'gradio', version: null, navigation: 'navigate', docId: 'lying-doc-1', loadedAt: Date.now(), sizes: NO_SIZES });
    expect((await readSettings()).settings.foundOrigins).toEqual([]);
    // One request per origin per browser session, whatever the page says next.
    timePasses();
    await onPageReport({ id: tab, url: `${UNUSUAL}/` }, { assets: [], app: 'gradio', version: null, navigation: 'navigate', docId: 'lying-doc-1', loadedAt: Date.now(), sizes: NO_SIZES });
    expect(pageRequests()).toBe(1);
  });

  it('never re-adds an origin the user removed, and asks nothing when the switch is off', async () => {
    await setSettings((s) => ({ ...s, dismissedOrigins: [UNUSUAL] }));
    const tab = await openTab(`${UNUSUAL}/`);
    await visit(tab, 1, 'navigate', `${UNUSUAL}/`);
    await setSettings((s) => ({ ...s, dismissedOrigins: [], autoProtect: false }));
    await visit(tab, 1, 'navigate', `${UNUSUAL}/`);
    expect(server.hits).toEqual([]);
    expect((await readSettings()).settings.foundOrigins).toEqual([]);
  });

  it('a report overtaken by a newer one of the same tab writes nothing (Back on the app before a slow recognition ended)', async () => {
    const tab = await openTab(`${UNUSUAL}/`);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const answer = server.fetch;
    vi.stubGlobal('fetch', async (input: string | URL | Request) => {
      if (String(input instanceof Request ? input.url : input).startsWith(UNUSUAL)) await gate;
      return answer(input);
    });
    const leaving = visit(tab, 1, 'navigate', `${UNUSUAL}/`); // an unprotected tool, being recognised: its server answers late
    await visit(tab, 1, 'bfcache', `${A}/`); // meanwhile the user is Back on the protected app
    const back = await tabRecords.get(tab);
    expect(back).toMatchObject({ origin: A, navigation: 'bfcache' });
    release();
    await leaving;
    expect(await tabRecords.get(tab)).toEqual(back);
  });

  it('recognises loopback only: an added LAN host is never "found"', async () => {
    const lan = 'http://192.168.1.20:7860';
    const tab = await openTab(`${lan}/`);
    await visit(tab, 1, 'navigate', `${lan}/`);
    expect(server.hits).toEqual([]);
  });
});

describe('a page cannot drive the background', () => {
  it('5,000 reports from one tab cost at most a handful of checks and records', async () => {
    const tab = await openTab(`${A}/`);
    server.version = 2;
    const answers = await Promise.all(Array.from({ length: 5000 }, () => visit(tab, 1, 'bfcache')));
    expect(answers.filter((a) => a.reload)).toHaveLength(1);
    // One check, and one second answer to confirm "old code", shared by every report.
    expect(pageRequests()).toBeLessThanOrEqual(3);
  });
});

describe('an open tab whose server is upgraded under it', () => {
  /** The page in `tab` gives `signal` (its current document unless told otherwise). */
  const signal = (tab: number, kind: 'code-failed' | 'visible', docId = world.documents.get(tab)!) =>
    onPageSignal({ id: tab, url: `${A}/` }, { signal: kind, docId });

  it('gives no sign: nothing is asked, however long it stays open', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    const before = pageRequests();
    server.version = 2;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(pageRequests()).toBe(before);
    expect(await verdictOf(tab)).toEqual({ state: 'fresh' });
  });

  it('a code file that failed to load: asked afresh (even inside a check window), marked old, never reloaded', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    const before = pageRequests();
    server.version = 2;
    await signal(tab, 'code-failed');
    expect(await verdictOf(tab)).toMatchObject({ state: 'stale' });
    expect(await badge(tab)).toBe('badgeStale');
    // The check and the second answer that confirms "old code".
    expect(pageRequests() - before).toBeLessThanOrEqual(2);
    expect(world.reloads).toEqual([]);
  });

  it('a burst of signals costs one check per window; the next window may check again', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    timePasses();
    const before = pageRequests();
    // One after another (signals at the same moment would share one request anyway).
    for (let i = 0; i < 50; i++) {
      await signal(tab, 'code-failed');
      vi.setSystemTime(Date.now() + 50);
    }
    expect(pageRequests() - before).toBe(1);
    vi.setSystemTime(Date.now() + SIGNAL_CHECK_GAP_MS);
    await signal(tab, 'code-failed');
    expect(pageRequests() - before).toBe(2);
  });

  it('a return into view shares a check made moments ago', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    const before = pageRequests();
    await signal(tab, 'visible');
    expect(pageRequests()).toBe(before);
    // Not even a trailing check at the window's end: the look was answered.
    await vi.advanceTimersByTimeAsync(CHECK_WINDOW_MS + 1);
    expect(pageRequests()).toBe(before);
    timePasses();
    await signal(tab, 'visible');
    expect(pageRequests()).toBe(before + 1);
  });

  it('a signal of a document the tab no longer shows, of an unwatched page, or of a closed tab asks nothing', async () => {
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    timePasses();
    const before = pageRequests();
    await signal(tab, 'code-failed', 'an-older-document');
    const plain = await openTab('http://localhost:4173/');
    await onPageSignal({ id: plain, url: 'http://localhost:4173/' }, { signal: 'code-failed', docId: 'plain-doc-1' });
    await onPageSignal({ id: 9999, url: `${A}/` }, { signal: 'code-failed', docId: 'doc-1-0000' });
    expect(pageRequests()).toBe(before);
    expect(server.hits.filter((p) => p !== '/')).toEqual([]);
  });

  it('an auto-clear site follows its setting: the signal that finds old code fixes it', async () => {
    await setSettings((s) => withSiteOptions(s, A, { autoClear: true }));
    const tab = await openTab(`${A}/`);
    await visit(tab, 1);
    server.version = 2;
    await signal(tab, 'code-failed');
    expect(world.removals.length).toBeGreaterThan(0);
  });
});

describe('a window without the toolbar (an installed web app)', () => {
  it('a page found to run old code shows the in-page notice once; the same page in a normal tab does not', async () => {
    const app = await openTab(`${A}/`, { window: 'app' });
    const normal = await openTab(`${A}/`);
    server.version = 2;
    await visit(app, 1);
    await visit(normal, 1);
    expect(world.notices.map((n) => n.tabId)).toEqual([app]);
    expect(world.notices[0]!.text).toMatchObject({ title: 'statusStale', reload: 'noticeReload', clear: 'clearAndReload' });
    expect(world.notices[0]!.docId).toBe(world.documents.get(app));
    // Judged again (the popup, a return into view): no second notice for the same document.
    timePasses();
    await revisitTab(app);
    expect(world.notices).toHaveLength(1);
    // A new document still on old code (a reload its worker answered) says it again.
    timePasses();
    await visit(app, 1, 'reload');
    expect(world.notices).toHaveLength(2);
  });

  it('an up-to-date page, or one fixed by itself (auto-clear, a history reload), shows none', async () => {
    const fresh = await openTab(`${A}/`, { window: 'popup' });
    await visit(fresh, 1);
    server.version = 2;
    timePasses();
    const back = await openTab(`${A}/`, { window: 'popup' });
    expect(await visit(back, 1, 'back_forward')).toEqual({ reload: true });
    expect(world.notices).toEqual([]);
  });

  it('Clear & reload from the notice clears the tab of the document that asked, and nothing for another', async () => {
    // The clear waits for the reload it starts, on the real clock.
    vi.useRealTimers();
    const tab = await openTab(`${A}/`, { window: 'app' });
    server.version = 2;
    await visit(tab, 1);
    await onNoticeClear({ id: tab, url: `${A}/` }, { docId: 'not-this-document' });
    expect(world.removals).toEqual([]);
    await onNoticeClear({ id: tab, url: `${A}/` }, { docId: world.documents.get(tab)! });
    expect(world.removals.length).toBeGreaterThan(0);
    expect(world.reloads.map((r) => r.tabId)).toContain(tab);
  });
});

describe('an app embedded in a frame', () => {
  const PAGE = 'http://localhost:4173';
  /** The top page (a plain dev page, not watched) with the app at A in frame 3. */
  async function embed(version: number, navigation: Navigation = 'navigate') {
    const tab = await openTab(`${PAGE}/`);
    const answer = await onFrameReport({ id: tab, url: `${A}/`, frameId: 3 }, reportOf(version, navigation));
    return { tab, answer };
  }

  it('is judged in its frame: old code is shown in the tab\'s popup, never reloaded, no badge', async () => {
    server.version = 2;
    const { tab, answer } = await embed(1, 'back_forward');
    expect(answer).toEqual({ reload: false });
    expect((await framesOf(tab))[0]).toMatchObject({ origin: A, verdict: { state: 'stale' } });
    expect((await uiHandlers['popup-state']({ tabId: tab })).staleFrames).toEqual([{ host: 'localhost:8188', app: 'ComfyUI' }]);
    expect(world.reloads).toEqual([]);
    expect(world.removals).toEqual([]);
    expect(await badge(tab)).toBe('');
  });

  it('a frame seen again inside the check window gets the trailing check, as a tab does', async () => {
    const { tab } = await embed(1);
    server.version = 2;
    await onFrameReport({ id: tab, url: `${A}/`, frameId: 3 }, reportOf(1, 'bfcache'));
    expect((await framesOf(tab))[0]?.verdict).toEqual({ state: 'fresh' }); // the answer of moments ago
    await vi.advanceTimersByTimeAsync(CHECK_WINDOW_MS + 1);
    expect((await framesOf(tab))[0]?.verdict).toMatchObject({ state: 'stale' });
  });

  it('a page of many frames keeps the latest 32, and its own report still gets through', async () => {
    const tab = await openTab(`${PAGE}/`);
    for (let frameId = 1; frameId <= 40; frameId++) {
      await onFrameReport({ id: tab, url: `${A}/`, frameId }, reportOf(1));
      vi.setSystemTime(Date.now() + 1000); // within the frames' rate budget (20 per 10 s)
    }
    const frames = await framesOf(tab);
    expect(frames).toHaveLength(32);
    expect((await tabFrames.get(tab))?.['40']).toBeDefined();
    expect((await tabFrames.get(tab))?.['1']).toBeUndefined();
    // The frames' rate budget is their own: 20 frame reports at once leave the tab's own report judged.
    const busy = await openTab(`${A}/`);
    for (let frameId = 1; frameId <= 25; frameId++) await onFrameReport({ id: busy, url: `${A}/`, frameId }, reportOf(1));
    await visit(busy, 1);
    expect(await verdictOf(busy)).toEqual({ state: 'fresh' });
  });

  it('up to date: nothing to show', async () => {
    const { tab } = await embed(1);
    expect((await framesOf(tab))[0]?.verdict).toEqual({ state: 'fresh' });
    expect((await uiHandlers['popup-state']({ tabId: tab })).staleFrames).toEqual([]);
  });

  it('a frame of an origin not protected and not a recognised tool asks nothing and keeps nothing', async () => {
    const tab = await openTab(`${A}/`);
    await onFrameReport({ id: tab, url: 'http://localhost:5173/', frameId: 2 }, { ...reportOf(1, 'navigate', 'http://localhost:5173'), app: null });
    expect(server.hits).toEqual([]);
    expect(await framesOf(tab)).toEqual([]);
  });

  it('a new top document forgets the frames of the last one; a closed tab forgets them all', async () => {
    server.version = 2;
    const { tab } = await embed(1);
    timePasses();
    // The plain top page navigates (it is not watched: its own report asks nothing).
    await onPageReport({ id: tab, url: `${PAGE}/next` }, { ...reportOf(1, 'navigate', PAGE), app: null });
    expect(await framesOf(tab)).toEqual([]);
    await onFrameReport({ id: tab, url: `${A}/`, frameId: 3 }, reportOf(1));
    expect(await framesOf(tab)).toHaveLength(1);
    await forgetTab(tab);
    expect(await framesOf(tab)).toEqual([]);
  });
});

describe('an app that names no build (SillyTavern\'s shape), through the detector', () => {
  const T = 'http://localhost:8000';
  let build = 1;
  let hits: string[] = [];
  // Library stylesheets listed first, as SillyTavern's index.html does; the app's code is script.js.
  const html = '<!doctype html><html><head><link rel="stylesheet" href="/css/brands.min.css"><link rel="stylesheet" href="/css/bright.min.css"><link rel="stylesheet" href="/css/cropper.min.css"><script src="/lib.js"></script><script type="module" src="/script.js"></script></head><body>SillyTavern</body></html>';
  const files = (): Record<string, string> => ({ '/': html, '/css/brands.min.css': 'b{}', '/css/bright.min.css': 'c{}', '/css/cropper.min.css': 'd{}', '/lib.js': 'lib();', '/script.js': `/* build ${build} */${'x'.repeat(1000 * build)}` });
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  const reportNow = (): PageReport => ({
    assets: ['/css/brands.min.css', '/css/bright.min.css', '/css/cropper.min.css', '/lib.js', '/script.js'].map((p) => T + p), app: null, version: null, navigation: 'navigate',
    docId: `tavern-${++docs}-doc`, loadedAt: Date.now(),
    sizes: { document: bytes(html), code: Object.entries(files()).filter(([p]) => p !== '/').map(([p, body]) => [T + p, bytes(body)]) },
  });

  beforeEach(() => {
    build = 1;
    hits = [];
    vi.stubGlobal('fetch', async (input: string | URL | Request) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      hits.push(url.pathname);
      const body = files()[url.pathname];
      return new Response(body ?? 'not found', { status: body === undefined ? 404 : 200, headers: { 'content-type': url.pathname === '/' ? 'text/html' : 'text/javascript' } });
    });
  });

  it('reads up to date by size, measuring the app\'s own scripts before library stylesheets', async () => {
    const tab = await openTab(`${T}/`);
    await onPageReport({ id: tab, url: `${T}/` }, reportNow());
    expect(await verdictOf(tab)).toEqual({ state: 'fresh' });
    // The page, then 4 files: both scripts first, then stylesheets in the order listed (the third is not measured).
    expect(hits).toEqual(['/', '/lib.js', '/script.js', '/css/brands.min.css', '/css/bright.min.css']);
  });

  it('a new build under an open tab reads old once confirmed; a server whose file fails to answer reads "can\'t tell"', async () => {
    const tab = await openTab(`${T}/`);
    await onPageReport({ id: tab, url: `${T}/` }, reportNow());
    build = 2;
    timePasses();
    expect(await revisitTab(tab)).toMatchObject({ state: 'stale', missing: 1 });
    // The file sizes go away (a timeout, an error): not a verdict either way.
    const other = await openTab(`${T}/`);
    build = 1;
    await onPageReport({ id: other, url: `${T}/` }, reportNow());
    vi.stubGlobal('fetch', async (input: string | URL | Request) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      return url.pathname === '/script.js' ? new Response('', { status: 500 }) : new Response(files()[url.pathname] ?? '', { status: 200, headers: { 'content-type': url.pathname === '/' ? 'text/html' : 'text/javascript' } });
    });
    timePasses();
    expect(await revisitTab(other)).toEqual({ state: 'unknown', reason: 'unversioned' });
  });
});
