/**
 * What the stale detector costs: requests the extension itself sends per page
 * navigation (protected apps, unprotected loopback pages, other websites), and
 * the size of the content script every loopback page runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, type BrowserName } from '../../e2e/drivers/launch';
import { CHROME_DIST } from '../../e2e/drivers/paths';
import type { PageLike } from '../../e2e/drivers/session';
import { AppServer } from '../../e2e/fixtures/app-server';
import { timePasses } from '../../e2e/pages/extension-state';
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
  const script = readFileSync(join(CHROME_DIST, 'src/content/page-report.iife.js'));
  return [
    `Requests the extension itself sends per page navigation (mean over ${NAVIGATIONS} navigations after a first visit; one headless browser each).`,
    '',
    table(['navigation', 'extension requests per navigation', 'goal'], rows),
    '',
    `Content script run by every loopback page: ${kb(script.length)} (${kb(gzipSync(script, { level: 9 }).length)} gzipped), one message per load.`,
  ].join('\n');
}
