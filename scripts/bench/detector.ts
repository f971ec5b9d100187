/**
 * What the stale detector costs: requests the extension itself sends per page
 * navigation (protected apps, unprotected loopback pages, other websites), and
 * the size of the content script every loopback page runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, protect, type BrowserName } from '../../e2e/drivers/launch';
import { CHROME_DIST } from '../../e2e/drivers/paths';
import type { PageLike } from '../../e2e/drivers/session';
import { AppServer } from '../../e2e/fixtures/app-server';
import { ExtensionState, timePasses } from '../../e2e/pages/extension-state';
import { UnversionedApp, type UnversionedLayout } from '../../e2e/fixtures/unversioned-app';
import { CHECK_WINDOW_MS } from '../../src/core/staleness';
import { kb, table } from './stats';

const NAVIGATIONS = 10;

/** The extension's own requests: no document, no page script, no service worker here (none of these apps has one). */
const extensionRequests = (app: AppServer) => app.requests.filter((r) => r.dest === 'empty').length;

async function navigate(page: PageLike, app: AppServer): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${app.origin}/`);
  await page.waitFor(() => (window as unknown as { __READY__?: boolean }).__READY__ === true && document.readyState === 'complete');
  // The report goes out at DOMContentLoaded and the check right after; give it time to reach the server.
  await new Promise((r) => setTimeout(r, 300));
}

async function perNavigation(name: BrowserName, app: AppServer, spaced: boolean): Promise<number> {
  const session = await launch(name);
  try {
    const page = await session.newPage();
    await navigate(page, app); // a first visit (and, for a recognisable tool, its recognition)
    app.resetRequests();
    const started = Date.now();
    for (let i = 0; i < NAVIGATIONS; i++) {
      if (spaced) await timePasses(session); // as if minutes passed: every navigation is a new check
      await navigate(page, app);
    }
    // Navigations inside one check window share its request and get one trailing check at its end: count that too.
    await new Promise((r) => setTimeout(r, Math.max(0, started + CHECK_WINDOW_MS + 2000 - Date.now())));
    return extensionRequests(app) / NAVIGATIONS;
  } finally {
    await session.close();
  }
}

const QUIET_MS = 20_000;
const TABS = 5;

/**
 * Open tabs: TABS tabs of protected apps, all upgraded while open and left
 * alone (no sign given) for QUIET_MS, two check windows: the requests that
 * reach their servers. Then one tab's lazy chunk fails: the requests that one
 * sign costs.
 */
async function openTabs(name: BrowserName): Promise<{ quiet: number; perSign: number }> {
  const session = await launch(name);
  const apps = await Promise.all(Array.from({ length: TABS }, (_, i) => new AppServer({ urlHost: 'localhost', name: `open-tab-${i}`, lazyRoute: true }).start()));
  try {
    const pages: PageLike[] = [];
    for (const app of apps) {
      await protect(session, app.origin);
      const page = await session.newPage();
      await page.goto(`${app.origin}/`);
      await page.waitFor(() => (window as unknown as { __READY__?: boolean }).__READY__ === true);
      pages.push(page);
    }
    await new Promise((r) => setTimeout(r, CHECK_WINDOW_MS + 2000)); // the first visits' checks (and any trailing one) are done
    for (const app of apps) {
      app.upgrade();
      app.resetRequests();
    }
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const quiet = apps.reduce((n, app) => n + app.requests.filter((r) => r.dest === 'empty').length, 0);
    const last = pages.at(-1)!;
    const app = apps.at(-1)!;
    await last.evaluate(() => document.getElementById('open-route')!.click());
    await new Promise((r) => setTimeout(r, 3000));
    return { quiet, perSign: app.requests.filter((r) => r.dest === 'empty').length };
  } finally {
    await session.close();
    await Promise.all(apps.map((a) => a.stop()));
  }
}

/** Requests and bytes one check of an app that names no build costs: unchanged, then upgraded. */
async function unversionedCheck(name: BrowserName, layout: UnversionedLayout): Promise<{ fresh: string; stale: string }> {
  const session = await launch(name);
  const app = await new UnversionedApp(layout).start();
  const state = new ExtensionState(session);
  try {
    await protect(session, app.origin);
    const page = await session.newPage();
    await page.goto(`${app.origin}/`);
    await state.waitForVerdict(app.origin, 'fresh');
    const measure = async (verdict: 'fresh' | 'stale') => {
      await timePasses(session);
      const before = app.extensionTraffic();
      const { reportedAt } = (await state.record(app.origin))!;
      await page.reload();
      const judged = await state.waitForJudged(app.origin, reportedAt);
      if (judged.verdict?.state !== verdict) throw new Error(`${layout}: expected ${verdict}, got ${JSON.stringify(judged.verdict)}`);
      await new Promise((r) => setTimeout(r, 500)); // the version probe of a new upgrade comes right after
      const after = app.extensionTraffic();
      return `${after.requests - before.requests} / ${kb(after.bytes - before.bytes)}`;
    };
    const fresh = await measure('fresh');
    app.upgrade();
    // The page now loads the new build; to read "old", it must still hold the old one: the check after a restart
    // of the tab's document is the fresh case, so the stale case is measured on a tab left open (a return into view).
    await timePasses(session);
    const before = app.extensionTraffic();
    const other = await session.newPage();
    await page.bringToFront();
    await state.waitForVerdict(app.origin, 'stale');
    await new Promise((r) => setTimeout(r, 500));
    const after = app.extensionTraffic();
    await other.close();
    return { fresh, stale: `${after.requests - before.requests} / ${kb(after.bytes - before.bytes)}` };
  } finally {
    await session.close();
    await app.stop();
  }
}

export async function benchDetector(): Promise<string> {
  const apps = {
    protected: await new AppServer({ port: 7862, urlHost: 'localhost', name: 'protected-app' }).start(),
    loopback: await new AppServer({ port: 4177, urlHost: 'localhost', name: 'plain-dev-server' }).start(),
    // 127.0.0.2 is this machine too, but not one of the loopback hosts the extension covers: a website to it.
    website: await new AppServer({ port: 8090, host: '127.0.0.2', name: 'some-website' }).start(),
  };
  const rows: string[][] = [];
  try {
    for (const name of ['chromium', 'firefox'] as const) {
      const label = name === 'chromium' ? 'Chromium' : 'Firefox ESR';
      rows.push(
        [`${label}: protected app, navigations minutes apart`, (await perNavigation(name, apps.protected, true)).toFixed(2), '≤ 1'],
        [`${label}: protected app, ${NAVIGATIONS} navigations in a row`, (await perNavigation(name, apps.protected, false)).toFixed(2), '≤ 1'],
        [`${label}: unprotected loopback page (a dev server)`, (await perNavigation(name, apps.loopback, false)).toFixed(2), '0'],
        [`${label}: a website`, (await perNavigation(name, apps.website, false)).toFixed(2), '0'],
      );
    }
  } finally {
    await Promise.all(Object.values(apps).map((a) => a.stop()));
  }
  const reach: string[][] = [];
  const sizes: string[][] = [];
  for (const name of ['chromium', 'firefox'] as const) {
    const label = name === 'chromium' ? 'Chromium' : 'Firefox ESR';
    const open = await openTabs(name);
    reach.push([`${label}: ${TABS} open tabs upgraded under them, no sign for ${QUIET_MS / 1000} s`, String(open.quiet), '0'], [`${label}: one tab whose lazy chunk then fails`, String(open.perSign), '≤ 3']);
    for (const layout of ['sillytavern', 'llama.cpp'] as const) {
      const cost = await unversionedCheck(name, layout);
      sizes.push([`${label}: ${layout}-shaped app`, cost.fresh, cost.stale]);
    }
  }
  const script = readFileSync(join(CHROME_DIST, 'src/content/page-report.iife.js'));
  return [
    `Requests the extension itself sends per page navigation (mean over ${NAVIGATIONS} navigations after a first visit; one headless browser each).`,
    '',
    table(['navigation', 'extension requests per navigation', 'goal'], rows),
    '',
    `Content script run by every loopback page: ${kb(script.length)} (${kb(gzipSync(script, { level: 9 }).length)} gzipped), one message per load, and one per sign an open page gives.`,
    '',
    'Open tabs: requests that reach the servers of protected apps upgraded while their tabs stayed open (the tab that loaded last is in front; none gives a sign), then the requests one sign costs (the check, its confirming answer, the one version probe of an upgrade).',
    '',
    table(['open tabs', 'extension requests', 'goal'], reach),
    '',
    'Apps that name no build (judged by size): requests / bytes one check costs, unchanged (a reload) and when it finds an upgrade (a tab left open, back in view: the check, its confirming answer and the version probe).',
    '',
    table(['app', 'unchanged', 'finding an upgrade'], sizes),
  ].join('\n');
}
