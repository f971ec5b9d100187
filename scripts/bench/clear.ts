/**
 * Clear & reload of a large app (~10 MB of files, a service worker, ~50 MB of
 * Cache Storage) against a bare hard reload and against the DevTools way
 * (CDP Storage.clearDataForOrigin + hard reload), in one run.
 */
import type { Page } from 'playwright-core';
import { ChromiumSession } from '../../e2e/drivers/chromium';
import { AppServer } from '../../e2e/fixtures/app-server';
import { median, ms, ratio, table } from './stats';

const RUNS = 3;
const BLOBS = 25;
const BLOB_BYTES = 2 * 1024 * 1024;

async function seed(page: Page, app: AppServer): Promise<void> {
  await page.goto(`${app.origin}/`);
  await page.waitForFunction(() => (window as unknown as { __READY__?: boolean }).__READY__ === true);
  await page.evaluate(async ({ blobs, bytes }) => {
    await (window as unknown as { __seed: () => Promise<boolean> }).__seed();
    const cache = await caches.open('generated-media');
    for (let i = 0; i < blobs; i++) await cache.put(`/media/${i}.bin`, new Response(new Uint8Array(bytes).fill(i)));
  }, { blobs: BLOBS, bytes: BLOB_BYTES });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

async function timeToLoad(page: Page, trigger: () => Promise<unknown>): Promise<number> {
  const loaded = page.waitForEvent('load', { timeout: 60_000 });
  const start = performance.now();
  await trigger();
  await loaded;
  await page.waitForFunction((n) => (window as unknown as { __chunks?: number }).__chunks === n, 300);
  return performance.now() - start;
}

export async function benchClear(): Promise<string> {
  const app = await new AppServer({ port: 7867, urlHost: 'localhost', name: 'large-sw-app', serviceWorker: true, assetCount: 300, assetBytes: 33_000 }).start();
  const session = await ChromiumSession.launch();
  try {
    const page = await session.newRawPage();
    const cdp = await session.context.newCDPSession(page);
    const options = await session.newRawPage();
    await options.goto(`chrome-extension://${session.extensionId}/src/options/index.html`);
    const times = { hard: [] as number[], stalebuster: [] as number[], devtools: [] as number[] };
    let usage = 0;

    for (let run = 0; run < RUNS; run++) {
      await seed(page, app);
      usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
      times.hard.push(await timeToLoad(page, () => cdp.send('Page.reload', { ignoreCache: true })));

      await seed(page, app);
      await page.bringToFront();
      times.stalebuster.push(
        await timeToLoad(page, () =>
          options.evaluate(async (origin) => {
            const [tab] = await chrome.tabs.query({ url: `${origin}/*` });
            const result = (await chrome.runtime.sendMessage({ type: 'clear-tab', tabId: tab!.id })) as { ok: boolean };
            if (!result.ok) throw new Error(JSON.stringify(result));
          }, app.origin),
        ),
      );

      await seed(page, app);
      times.devtools.push(
        await timeToLoad(page, async () => {
          await cdp.send('Storage.clearDataForOrigin', { origin: app.origin, storageTypes: 'all' });
          await cdp.send('Page.reload', { ignoreCache: true });
        }),
      );
    }
    const hard = median(times.hard);
    const rows = [
      ['bare hard reload (Ctrl+Shift+R; leaves the worker and its caches)', ms(hard), '1.00×'],
      ['Stalebuster Clear & reload (exact origin, everything)', ms(median(times.stalebuster)), ratio(median(times.stalebuster), hard)],
      ['DevTools: Storage.clearDataForOrigin + hard reload', ms(median(times.devtools)), ratio(median(times.devtools), hard)],
    ];
    return [
      `From the trigger to the reloaded app's load event: ${app.assetCount + 4} files (${(app.totalAssetBytes / 2 ** 20).toFixed(1)} MB), a service worker, ` +
        `${((usage || BLOBS * BLOB_BYTES) / 2 ** 20).toFixed(0)} MB of site storage; headless Chromium, median of ${RUNS}.`,
      '',
      table(['method', 'time', 'vs hard reload'], rows),
    ].join('\n');
  } finally {
    await session.close();
    await app.stop();
  }
}
