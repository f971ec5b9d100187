/**
 * Clear & reload of a large app (~10 MB of files, a service worker, ~50 MB of
 * Cache Storage) against a bare hard reload and the DevTools way (CDP
 * Storage.clearDataForOrigin + hard reload); then with a 50 MB IndexedDB that
 * Undo backs up first, and Undo itself. One run, headless Chromium.
 */
import type { Page } from 'playwright-core';
import { ChromiumSession } from '../../e2e/drivers/chromium';
import { AppServer } from '../../e2e/fixtures/app-server';
import { median, ms, ratio, table } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BLOBS = 25;
const BLOB_BYTES = 2 * 1024 * 1024;

type Steps = { read: number; send: number; store: number; pageFingerprint: number; storedFingerprint: number };
type Phases = { backup: number; page: number; browser: number; pause?: number; backupSteps?: Steps };
type UndoPhases = { pause: number; restore: number; reload: number };

async function loaded(page: Page, app: AppServer): Promise<void> {
  await page.waitForFunction((n) => (window as unknown as { __chunks?: number }).__chunks === n, app.assetCount, { timeout: 60_000 });
}

/** What a used app leaves: a worker with its cache, 50 MB of generated media in Cache Storage, and, if asked, 50 MB in IndexedDB. */
async function seed(page: Page, app: AppServer, indexedDbBlobs: boolean): Promise<void> {
  await page.goto(`${app.origin}/`);
  await page.waitForFunction(() => (window as unknown as { __READY__?: boolean }).__READY__ === true);
  await page.evaluate(async ({ blobs, bytes, idb }) => {
    await (window as unknown as { __seed: () => Promise<boolean> }).__seed();
    const cache = await caches.open('generated-media');
    for (let i = 0; i < blobs; i++) await cache.put(`/media/${i}.bin`, new Response(new Uint8Array(bytes).fill(i)));
    if (!idb) return;
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('gallery', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('images', { keyPath: 'id', autoIncrement: true });
      open.onsuccess = () => {
        const tx = open.result.transaction('images', 'readwrite');
        for (let i = 0; i < blobs; i++) tx.objectStore('images').add({ prompt: `image ${i}`, at: new Date(), png: new Blob([new Uint8Array(bytes).fill(i)], { type: 'image/png' }) });
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    });
  }, { blobs: BLOBS, bytes: BLOB_BYTES, idb: indexedDbBlobs });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await loaded(page, app);
}

async function timeToLoad(page: Page, app: AppServer, trigger: () => Promise<unknown>): Promise<number> {
  const done = page.waitForEvent('load', { timeout: 120_000 });
  const start = performance.now();
  await trigger();
  await done;
  await loaded(page, app);
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
    const tabId = async () => options.evaluate(async (origin) => (await chrome.tabs.query({})).find((t) => t.url?.startsWith(origin))!.id!, app.origin);
    const clear = (choice: { withoutUndo?: boolean }) => async () => {
      const id = await tabId();
      return options.evaluate(
        async ({ id, choice }) => {
          const result = (await chrome.runtime.sendMessage({ type: 'clear-tab', tabId: id, ...choice })) as { ok: boolean; report?: { phases: Phases; undo: { id: string; bytes: number } | null } };
          if (!result.ok) throw new Error(JSON.stringify(result));
          return result.report!;
        },
        { id, choice },
      );
    };
    const times = { hard: [] as number[], stalebuster: [] as number[], devtools: [] as number[], backup: [] as number[], undo: [] as number[] };
    const phases = { plain: [] as Phases[], backup: [] as Phases[], undo: [] as UndoPhases[] };
    let backupBytes = 0;

    for (let run = 0; run < RUNS; run++) {
      await seed(page, app, false);
      times.hard.push(await timeToLoad(page, app, () => cdp.send('Page.reload', { ignoreCache: true })));

      await seed(page, app, false);
      await page.bringToFront();
      times.stalebuster.push(await timeToLoad(page, app, async () => phases.plain.push((await clear({ withoutUndo: true })()).phases)));

      await seed(page, app, false);
      times.devtools.push(
        await timeToLoad(page, app, async () => {
          await cdp.send('Storage.clearDataForOrigin', { origin: app.origin, storageTypes: 'all' });
          await cdp.send('Page.reload', { ignoreCache: true });
        }),
      );

      await seed(page, app, true);
      let snapshotId = '';
      times.backup.push(
        await timeToLoad(page, app, async () => {
          const report = await clear({})();
          phases.backup.push(report.phases);
          snapshotId = report.undo!.id;
          backupBytes = report.undo!.bytes;
        }),
      );
      // Undo: from the request to the app loaded on its restored data.
      const start = performance.now();
      const id = await tabId();
      const result = await options.evaluate(async ({ snapshotId, id }) => chrome.runtime.sendMessage({ type: 'undo', snapshotId, tabId: id }), { snapshotId, id });
      if (!(result as { ok: boolean }).ok) throw new Error(JSON.stringify(result));
      phases.undo.push((result as { phases: UndoPhases }).phases);
      await loaded(page, app);
      times.undo.push(performance.now() - start);
      const images = await page.evaluate(
        () => new Promise<number>((resolve) => { const o = indexedDB.open('gallery'); o.onsuccess = () => { const r = o.result.transaction('images').objectStore('images').count(); r.onsuccess = () => { o.result.close(); resolve(r.result); }; }; }),
      );
      if (images !== BLOBS) throw new Error(`Undo restored ${images} of ${BLOBS} images`);
      await options.evaluate(() => chrome.runtime.sendMessage({ type: 'delete-backups', all: true }));
    }
    const hard = median(times.hard);
    const step = (key: keyof Steps) => phase(phases.backup.map((p) => p.backupSteps ?? { read: 0, send: 0, store: 0, pageFingerprint: 0, storedFingerprint: 0 }), key);
    const phase = <P extends object>(list: P[], key: keyof P) => `${median(list.map((p) => Number(p[key] ?? 0))).toFixed(0)}`;
    const rows = [
      ['bare hard reload (Ctrl+Shift+R; leaves the worker and its caches)', ms(hard), '1.00×'],
      ['DevTools: Storage.clearDataForOrigin + hard reload', ms(median(times.devtools)), ratio(median(times.devtools), hard)],
      ['Stalebuster Clear & reload, nothing to back up (exact origin, everything)', ms(median(times.stalebuster)), ratio(median(times.stalebuster), hard)],
      [`Stalebuster Clear & reload with Undo: backs up ${(backupBytes / 2 ** 20).toFixed(0)} MB of IndexedDB first`, ms(median(times.backup)), ratio(median(times.backup), hard)],
      ['Undo of that backup (request to the app loaded on its restored data)', ms(median(times.undo)), ratio(median(times.undo), hard)],
    ];
    return [
      `From the trigger to the reloaded app's load event: ${app.assetCount + 4} files (${(app.totalAssetBytes / 2 ** 20).toFixed(1)} MB), a service worker, ` +
        `${(BLOBS * BLOB_BYTES / 2 ** 20).toFixed(0)} MB of Cache Storage (and for the Undo rows ${(BLOBS * BLOB_BYTES / 2 ** 20).toFixed(0)} MB of images in IndexedDB); headless Chromium, median of ${RUNS}.`,
      '',
      table(['method', 'time', 'vs hard reload'], rows),
      '',
      'Where a clear spends its time before the reload starts (median ms): ' +
        `nothing to back up: page step ${phase(phases.plain, 'page')}, browser step ${phase(phases.plain, 'browser')}; ` +
        `with the backup: backup ${phase(phases.backup, 'backup')}, page step ${phase(phases.backup, 'page')}, browser step ${phase(phases.backup, 'browser')}. ` +
        `The backup: pausing the site's tabs ${phase(phases.backup, 'pause')}, the page reading its data ${step('read')}, ` +
        `sending it ${step('send')} (the background stores as it arrives; the rest of the storing ${step('store')}), ` +
        `then side by side the page's fingerprint of its own objects ${step('pageFingerprint')} and the background's of what it stored ${step('storedFingerprint')}.`,
      '',
      `Where an Undo spends its time until the reload starts (median ms): pausing the site's tabs ${phase(phases.undo, 'pause')}, ` +
        `putting the data back ${phase(phases.undo, 'restore')}, the reload past every cache onto it ${phase(phases.undo, 'reload')} (until it is under way).`,
    ].join('\n');
  } finally {
    await session.close();
    await app.stop();
  }
}
