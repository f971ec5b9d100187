/**
 * Warm navigation to a large app (hundreds of assets, ~10 MB): no extension,
 * revalidate mode and bypass mode, measured in one run on one machine.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ChromiumSession } from '../../e2e/drivers/chromium';
import { CHROMIUM_PATH } from '../../e2e/drivers/paths';
import { setSiteOptions, waitForRule } from '../../e2e/drivers/launch';
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

async function measure(context: BrowserContext, app: AppServer, label: string): Promise<Result> {
  const page = await context.newPage();
  await page.goto(`${app.origin}/`); // warm the caches
  const times: number[] = [];
  let bytes = 0;
  let requests = 0;
  let notModified = 0;
  for (let i = 0; i < RUNS; i++) {
    await page.goto('about:blank');
    app.resetRequests();
    const start = performance.now();
    await page.goto(`${app.origin}/`, { waitUntil: 'load' });
    await page.waitForFunction((n) => (window as unknown as { __chunks?: number }).__chunks === n, app.assetCount);
    times.push(performance.now() - start);
    const docs = app.requests.filter((r) => r.dest !== 'empty' || r.path !== '/');
    bytes += docs.reduce((sum, r) => sum + r.bytes, 0);
    requests += docs.length;
    notModified += docs.filter((r) => r.status === 304).length;
  }
  await page.close();
  return { label, ms: median(times), bytes: bytes / RUNS, requests: requests / RUNS, notModified: notModified / RUNS };
}

export async function benchFreshness(): Promise<string> {
  const app = await new AppServer({ port: 7866, urlHost: 'localhost', name: 'large-app', assetCount: 300, assetBytes: 33_000 }).start();
  try {
    const plain = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'bench-plain-')), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const none = await measure(plain, app, 'no extension (stale after an upgrade)');
    await plain.close();

    const session = await ChromiumSession.launch();
    const revalidate = await measure(session.context, app, 'Stalebuster, revalidate (default)');
    await setSiteOptions(session, app.origin, { mode: 'bypass' });
    await waitForRule(session, app.origin, 'no-cache');
    const bypass = await measure(session.context, app, 'Stalebuster, bypass');
    await session.close();

    const rows = [none, revalidate, bypass].map((r) => [r.label, ms(r.ms), ratio(r.ms, none.ms), mb(r.bytes), r.requests.toFixed(0), r.notModified.toFixed(0)]);
    return [
      `Warm navigation to a ${app.assetCount + 4}-file, ${mb(app.totalAssetBytes)} app in headless Chromium (median of ${RUNS}).`,
      '',
      table(['configuration', 'load', 'vs no extension', 'downloaded', 'requests', '304s'], rows),
      '',
      `Revalidate downloads ${((revalidate.bytes / bypass.bytes) * 100).toFixed(2)} % of bypass's bytes, at ${ratio(revalidate.ms, none.ms)} the cached load.`,
    ].join('\n');
  } finally {
    await app.stop();
  }
}
