/**
 * Stalebuster's automatic actions stay safe when its own verdict is wrong: the
 * background, wired to the fake browser, against servers that make a naive
 * comparison read "old code" (per-request tokens), servers the fix cannot help
 * (a service worker holds the old app), and clears that fail.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CEILING } from '../core/auto-guard';
import { extractAssetUrls } from '../core/staleness';
import { defaultSettings, withSiteOptions } from '../core/settings';
import type { Navigation, PageReport } from '../core/staleness';
import { local } from '../platform/storage';
import { openTab, page, resetWorld, world } from '../test/fake-extension';
import { FakeServer } from '../test/fake-server';
import { guards, resumeAutomaticFixes } from './auto-guard';
import { popupState } from './popup-state';
import { CHECK_WINDOW_MS, setTrailingHandler } from './server-checks';
import { onPageReport, onTrailingCheck, periodicCheck, resetRateLimits } from './stale-detector';
import { tabRecords } from './tab-records';

const A = 'http://localhost:7860';
let server: FakeServer;
/** A report without sizes: these cases are judged by their versioned code URLs. */
const NO_SIZES = { document: null, code: [] };

let docs = 0;

/** A page that loaded `html`: what its content script reports (a new document each time). */
function reportOf(html: string, navigation: Navigation, url = `${A}/`): PageReport {
  return { assets: extractAssetUrls(html, url), app: 'gradio', version: null, navigation, docId: `doc-${++docs}-harm`, loadedAt: Date.now(), sizes: NO_SIZES };
}

async function load(tabId: number, html: string, navigation: Navigation = 'navigate', url = `${A}/`) {
  const report = reportOf(html, navigation, url);
  world.documents.set(tabId, report.docId);
  return { answer: await onPageReport({ id: tabId, url }, report), report };
}

const timePasses = (ms = CHECK_WINDOW_MS + 1) => vi.setSystemTime(Date.now() + ms);

async function start(settings = withSiteOptions(defaultSettings(), A, { autoClear: true, autoClearSiteData: true })): Promise<void> {
  await local.set('settings', settings);
  world.origins.set(A, page({ records: 5 }));
  setTrailingHandler(onTrailingCheck);
  resetRateLimits();
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
  server = new FakeServer();
  vi.stubGlobal('fetch', server.fetch);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A Gradio-like page whose server puts a fresh token on a script URL on every answer (`?v=<time>`), as some apps do. */
function tokenShape(): (version: number) => string {
  let n = 0;
  return (version) => `<!doctype html><html><head><title>Gradio</title>
<script>window.gradio_config = {"app_id": ${Math.random()}};</script>
<script src="/app.js?v=${1_700_000_000_000 + n++}"></script>
<script type="module" src="/assets/index-a1b2c3d${version}.js"></script></head><body><gradio-app></gradio-app></body></html>`;
}

describe('a per-request token is not old code', () => {
  it('an unchanged app visited every 10 s for 70 s: never "old", nothing cleared or reloaded, the data stays', async () => {
    await start();
    server = new FakeServer(tokenShape());
    vi.stubGlobal('fetch', server.fetch);
    const tab = await openTab(`${A}/`);
    const before = structuredClone(world.origins.get(A));
    for (let i = 0; i < 8; i++) {
      const { answer } = await load(tab, server.shape(1), i === 0 ? 'navigate' : 'back_forward');
      expect(answer).toEqual({ reload: false });
      expect((await tabRecords.get(tab))?.verdict?.state).not.toBe('stale');
      timePasses(10_000);
    }
    expect(world.removals).toEqual([]);
    expect(world.reloads).toEqual([]);
    expect(world.origins.get(A)).toEqual(before);
    expect(Object.keys((await local.get('snapshots')) ?? {})).toEqual([]);
  });

  it('the control: the same app really upgraded is cleared once, its data kept in a backup', async () => {
    await start();
    server = new FakeServer(tokenShape());
    vi.stubGlobal('fetch', server.fetch);
    const tab = await openTab(`${A}/`);
    await load(tab, server.shape(1));
    server.version = 2;
    for (let i = 0; i < 6; i++) {
      timePasses(10_000);
      await load(tab, server.shape(1), 'back_forward'); // the service worker keeps serving v1
    }
    expect(world.removals.length).toBeGreaterThanOrEqual(1);
    // One clear for the upgrade; the page still old after it pauses the site rather than clearing again.
    expect((await local.get('reports'))?.[A]).toMatchObject({ trigger: 'auto', keptSiteData: false, undo: { id: expect.any(String) } });
    const backups = Object.values((await local.get('snapshots')) ?? {});
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ records: 5, pinned: true });
    expect((await guards.get(A))?.actions.filter((a) => a.kind === 'clear')).toHaveLength(1);
  });

  /** Tool-shaped HTML with random per-request and per-launch parts: it must never read as old (property). */
  it('no generated app with per-request parts ever reads as old or is acted on', async () => {
    const app = fc.record({
      hashed: fc.array(fc.stringMatching(/^[a-z]{3,8}$/), { minLength: 1, maxLength: 4 }),
      tokenQuery: fc.constantFrom('v', 't', '_', 'ts', 'nocache'),
      tokenised: fc.array(fc.stringMatching(/^[a-z]{2,8}\.(js|css)$/), { minLength: 1, maxLength: 3 }),
      launchId: fc.integer(),
      visits: fc.array(fc.constantFrom<Navigation>('navigate', 'reload', 'back_forward', 'bfcache'), { minLength: 2, maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(app, async (shape) => {
        resetWorld();
        await start();
        let n = 0;
        const html = () => {
          const token = `${shape.tokenQuery}=${Date.now()}${n++}`;
          const tags = [
            ...shape.hashed.map((h, i) => `<script type="module" src="/assets/${h}-9f${i}c4e2a.js"></script>`),
            ...shape.tokenised.map((f) => (f.endsWith('.css') ? `<link rel="stylesheet" href="/${f}?${token}">` : `<script src="/${f}?${token}"></script>`)),
          ];
          return `<!doctype html><html><head><script>window.gradio_config={"app_id":${shape.launchId + n}}</script>${tags.join('\n')}</head><body><gradio-app></gradio-app></body></html>`;
        };
        server = new FakeServer(html);
        vi.stubGlobal('fetch', server.fetch);
        const tab = await openTab(`${A}/`);
        for (const navigation of shape.visits) {
          const { answer } = await load(tab, html(), navigation);
          if (answer.reload) return false;
          if ((await tabRecords.get(tab))?.verdict?.state === 'stale') return false;
          timePasses(10_000);
        }
        return world.removals.length === 0 && world.reloads.length === 0;
      }),
      { numRuns: 60 },
    );
  });
});

describe('a fix that cannot take', () => {
  it('a service worker holds the upgrade: history returns reload the page at most once (A → B → Back, four times)', async () => {
    await start(defaultSettings());
    server = new FakeServer(FakeServer.comfy);
    vi.stubGlobal('fetch', server.fetch);
    const tab = await openTab(`${A}/`);
    await load(tab, FakeServer.comfy(1));
    server.version = 2;
    let reloads = 0;
    for (let trip = 0; trip < 4; trip++) {
      timePasses();
      await load(tab, FakeServer.comfy(2), 'navigate', `${A}/other`); // page B, another URL of the app
      timePasses();
      const { answer } = await load(tab, FakeServer.comfy(1), 'back_forward');
      if (answer.reload) {
        reloads++;
        timePasses(1000);
        await load(tab, FakeServer.comfy(1), 'reload'); // the reload: the worker serves v1 again
      }
    }
    expect(reloads).toBe(1);
    const state = await popupState(tab);
    expect(state.autoPaused).toMatchObject({ reason: 'still-old' });
  });

  it('a trailing check decided while the tab shows another page does not reload it, and does not spend the reload', async () => {
    await start(defaultSettings());
    server = new FakeServer(FakeServer.comfy);
    vi.stubGlobal('fetch', server.fetch);
    const tab = await openTab(`${A}/`);
    await load(tab, FakeServer.comfy(1));
    server.version = 2;
    vi.setSystemTime(Date.now() + 3000);
    // A history return inside the window: judged from the last answer (fresh), a trailing check is due.
    const { report } = await load(tab, FakeServer.comfy(1), 'back_forward');
    // The user leaves for another site before the window ends: the page sits in the back/forward cache.
    world.documents.delete(tab);
    await vi.advanceTimersByTimeAsync(CHECK_WINDOW_MS);
    await vi.waitFor(async () => expect((await tabRecords.get(tab))?.verdict?.state).toBe('stale'));
    expect(world.reloads).toEqual([]);
    // Back: the browser restores that very document; now it reloads, once.
    world.documents.set(tab, report.docId);
    const back = await onPageReport({ id: tab, url: `${A}/` }, { ...report, navigation: 'bfcache' });
    expect(back).toEqual({ reload: true });
  });
});

describe('a failed automatic clear', () => {
  it('is reported, tried once more, then the site is paused: no loop', async () => {
    await start(withSiteOptions(defaultSettings(), A, { autoClear: true }));
    server = new FakeServer(FakeServer.comfy);
    vi.stubGlobal('fetch', server.fetch);
    let refused = 0;
    world.beforeRemove = () => {
      refused++;
      throw new Error('browsingData.remove refused');
    };
    const tab = await openTab(`${A}/`);
    await load(tab, FakeServer.comfy(1));
    server.version = 2;
    for (let i = 0; i < 6; i++) {
      timePasses();
      await load(tab, FakeServer.comfy(1), 'reload');
    }
    expect(refused).toBe(2);
    const report = (await local.get('reports'))?.[A];
    expect(report?.failure).toMatch(/^browser: browsingData.remove refused/);
    const state = await popupState(tab);
    expect(state.report?.failure).toMatch(/refused/);
    expect(state.autoPaused).toMatchObject({ reason: 'failed' });
  });
});

/** An unchanged app whose server stamps a script with the current second: both answers of a check agree, every check differs. */
const secondStamped = () => `<!doctype html><html><head><title>Gradio</title>
<script src="/app.js?v=${Math.floor(Date.now() / 1000)}"></script>
<script type="module" src="/assets/index-a1b2c3d1.js"></script></head><body><gradio-app></gradio-app></body></html>`;

describe('a token that changes by the second (found by a hostile review)', () => {
  it('two hours of 5-minute checks on the unchanged app: at most two automatic clears, then paused until the user resumes; the original data stays in a pinned backup', async () => {
    await start();
    server = new FakeServer(secondStamped);
    vi.stubGlobal('fetch', server.fetch);
    const tab = await openTab(`${A}/`);
    await load(tab, secondStamped());
    let clears = 0;
    for (let i = 0; i < 24; i++) {
      timePasses(5 * 60_000 + 1000);
      const before = world.reloads.length;
      await periodicCheck();
      if (world.reloads.length > before) {
        clears++;
        if (world.origins.get(A)!.databases.length === 0) world.origins.set(A, page({ records: 1 })); // what the app saves afterwards
        timePasses(1000);
        await load(tab, secondStamped(), 'reload');
      }
    }
    expect(clears).toBeGreaterThan(0); // the verdict really is wrong here: the guard, not luck, stops it
    expect(clears).toBeLessThanOrEqual(2);
    expect((await guards.get(A))?.paused).toMatchObject({ sticky: true });
    const backups = Object.values((await local.get('snapshots')) ?? {});
    expect(backups.find((b) => b.pinned)).toMatchObject({ records: 5 });
    // The user resumes: Stalebuster may act again (and the guard still bounds it).
    await resumeAutomaticFixes(A);
    expect((await guards.get(A))?.paused).toBeNull();
  });

  it('the first automatic clear could not back up (site data kept): the next one, which does remove the data, keeps its backup pinned', async () => {
    await start();
    world.origins.set(A, page({ records: 7, readError: 'database blocked' }));
    server = new FakeServer(secondStamped);
    vi.stubGlobal('fetch', server.fetch);
    const tab = await openTab(`${A}/`);
    await load(tab, secondStamped());
    for (let i = 0; i < 8; i++) {
      timePasses(5 * 60_000 + 1000);
      if (i === 1) delete world.origins.get(A)!.readError;
      const before = world.reloads.length;
      await periodicCheck();
      if (world.reloads.length > before) {
        if (world.origins.get(A)!.databases.length === 0) world.origins.set(A, page({ records: 1 }));
        timePasses(1000);
        await load(tab, secondStamped(), 'reload');
      }
      await resumeAutomaticFixes(A); // a user who keeps saying "resume": the original data must still survive
    }
    const backups = Object.values((await local.get('snapshots')) ?? {});
    expect(backups.some((b) => b.records === 7 && b.pinned)).toBe(true);
  });
});

describe('the ceiling holds even against a detector that is wrong every time', () => {
  it(`a server whose every answer is a "new upgrade" gets at most ${CEILING} automatic clears, then a pause the popup names`, async () => {
    await start(withSiteOptions(defaultSettings(), A, { autoClear: true }));
    // Every answer a different hashed bundle (a build server gone mad): each one is a real, confirmed change.
    let build = 0;
    server = new FakeServer(() => `<!doctype html><html><head><title>ComfyUI</title><script type="module" src="/assets/index-${(1_000_000 + Math.floor(build++ / 2)).toString(16)}ab.js"></script></head></html>`);
    vi.stubGlobal('fetch', server.fetch);
    const tab = await openTab(`${A}/`);
    for (let i = 0; i < 12; i++) {
      timePasses();
      await load(tab, '<script type="module" src="/assets/index-old.js"></script>', 'reload');
    }
    const clears = (await guards.get(A))?.actions.filter((a) => a.kind === 'clear').length ?? 0;
    expect(clears).toBeGreaterThan(0);
    expect(clears).toBeLessThanOrEqual(CEILING);
    expect((await popupState(tab)).autoPaused).not.toBeNull();
  });
});
