/**
 * Warm navigation to a large app (hundreds of assets, ~10 MB): no extension,
 * revalidate mode and bypass mode, measured in one run on one machine.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { wrapPage } from '../../e2e/drivers/page-like';
import type { PageLike } from '../../e2e/drivers/session';
import { CHROMIUM_PATH, FIREFOX_PATH } from '../../e2e/drivers/paths';
import { launch, setSiteOptions, waitForRule, type BrowserName } from '../../e2e/drivers/launch';
import { AppServer } from '../../e2e/fixtures/app-server';
import { mb, median, ms, ratio, table } from './stats';

const RUNS = 7;

interface Result {
  label: string;
  ms: number;
  bytes: number;
  requests: number;
  notModified: number;
}

async function measure(page: PageLike, app: AppServer, label: string): Promise<Result> {
  await page.goto(`${app.origin}/`); // warm the caches
  await page.waitFor((n) => (window as unknown as { __chunks?: number }).__chunks === n, app.assetCount, 60_000);
  const times: number[] = [];
  let bytes = 0;
  let requests = 0;
  let notModified = 0;
  for (let i = 0; i < RUNS; i++) {
    await page.goto('about:blank');
    app.resetRequests();
    await page.goto(`${app.origin}/`);
    await page.waitFor((n) => (window as unknown as { __chunks?: number }).__chunks === n, app.assetCount, 60_000);
    // The browser's own clock, navigation start to the end of the load event: no driver latency in it.
    await page.waitFor(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.loadEventEnd, undefined, 60_000);
    times.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd));
    const loads = app.requests.filter((r) => r.dest !== 'empty' || r.path !== '/');
    bytes += loads.reduce((sum, r) => sum + r.bytes, 0);
    requests += loads.length;
    notModified += loads.filter((r) => r.status === 304).length;
  }
  await page.close();
  return { label, ms: median(times), bytes: bytes / RUNS, requests: requests / RUNS, notModified: notModified / RUNS };
}

function render(browserName: string, app: AppServer, results: Result[]): string {
  const [none, revalidate, bypass] = results as [Result, Result, Result];
  const rows = results.map((r) => [r.label, ms(r.ms), ratio(r.ms, none.ms), mb(r.bytes), r.requests.toFixed(0), r.notModified.toFixed(0)]);
  return [
    `Warm navigation (navigation start to load event end, by the browser's clock) to a ${app.assetCount + 4}-file, ${mb(app.totalAssetBytes)} app in headless ${browserName} (median of ${RUNS}).`,
    '',
    table(['configuration', 'load', 'vs no extension', 'downloaded', 'requests', '304s'], rows),
    '',
    `Revalidate downloads ${((revalidate.bytes / bypass.bytes) * 100).toFixed(2)} % of bypass's bytes, at ${ratio(revalidate.ms, none.ms)} the cached load.`,
  ].join('\n');
}

/** The same browser with no extension at all: the stale-but-fast baseline. */
async function plainPage(name: BrowserName): Promise<{ page: PageLike; close: () => Promise<unknown> }> {
  if (name === 'firefox') {
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true });
    return { page: wrapPage(await browser.newPage()), close: () => browser.close() };
  }
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'bench-plain-')), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { page: wrapPage(await context.newPage()), close: () => context.close() };
}

async function rows(name: BrowserName, app: AppServer): Promise<Result[]> {
  const plain = await plainPage(name);
  const none = await measure(plain.page, app, 'no extension (stale after an upgrade)');
  await plain.close();
  const session = await launch(name);
  try {
    const revalidate = await measure(await session.newPage(), app, 'Stalebuster, revalidate (default)');
    await setSiteOptions(session, app.origin, { mode: 'bypass' });
    await waitForRule(session, app.origin, 'no-cache');
    const bypass = await measure(await session.newPage(), app, 'Stalebuster, bypass');
    return [none, revalidate, bypass];
  } finally {
    await session.close();
  }
}

export async function benchFreshness(): Promise<string> {
  const app = await new AppServer({ port: 7866, urlHost: 'localhost', name: 'large-app', assetCount: 300, assetBytes: 33_000 }).start();
  try {
    return [render('Chromium', app, await rows('chromium', app)), '', render('Firefox ESR', app, await rows('firefox', app))].join('\n');
  } finally {
    await app.stop();
  }
}
