import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS, launch, protect } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { appPool, type AppServer } from './fixtures/app-server';
import { buildSite, describeSite, siteRecipe } from './fixtures/site-recipes';
import { AppPage } from './pages/app-page';
import { ExtensionState } from './pages/extension-state';
import { openPopup } from './pages/popup-page';

/**
 * A backup that says it succeeded must give back exactly what the page held:
 * generated databases (one named ""), stores of every key kind, indexes, values
 * of every kind IndexedDB's structured clone keeps (keys such as `constructor`,
 * boxed primitives, BigInt64Array, Float16Array, one buffer under two views),
 * deleted records whose keys the generator must not hand out again. Written
 * down in the page's own realm before the clear and after Undo; the seed is in
 * the failure message (SEED=… reruns it).
 */
/** The first line where two descriptions part (the whole of one runs to megabytes). */
function firstDifference(actual: string, expected: string): { line: number; expected: string; actual: string } | null {
  const [a, e] = [actual.split('\n'), expected.split('\n')];
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return { line: i + 1, expected: (e[i] ?? '(end)').slice(0, 600), actual: (a[i] ?? '(end)').slice(0, 600) };
  }
  return null;
}

/**
 * Clear & reload from the popup, waited for until the app runs again (not the paused load), and the
 * report it left; the report must offer Undo. `why` goes into every failure message.
 */
async function clearFromPopup(session: BrowserSession, page: AppPage, why = '', timeoutMs = 20_000): Promise<void> {
  const stamp = await page.documentStamp();
  const popup = await openPopup(session, page.page, page.app.origin);
  await popup.clearAndReload();
  await page.waitForNewDocument(stamp, timeoutMs);
  const said = await popup.page.$eval('body', (b) => b.textContent ?? '').catch(() => '(popup closed)');
  await popup.page.close().catch(() => undefined);
  const report = await new ExtensionState(session).report(page.app.origin);
  expect(report, `${why} ${JSON.stringify(report)} / popup: ${said}`).toMatchObject({ keptSiteData: false, undo: { id: expect.any(String) } });
}

/** Undo from the popup, waited for until the app runs on the restored data. */
async function undoFromPopup(session: BrowserSession, page: AppPage, timeoutMs = 60_000): Promise<void> {
  const popup = await openPopup(session, page.page, page.app.origin);
  await popup.page.waitForSelector('.undo-row');
  await popup.button('Undo').click();
  await popup.page.waitForSelector('::-p-text(Site data restored at)', { timeout: timeoutMs });
  await popup.page.close().catch(() => undefined);
  await page.ready();
}

const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));

describe.each(BROWSERS)('Undo is exact in %s', (browserName) => {
  const pool = appPool();
  let session: BrowserSession;
  let app: AppServer;

  beforeAll(async () => {
    app = await pool.serve({ port: 7862, name: 'exact-app' });
    session = await launch(browserName);
    await protect(session, app.origin);
  });
  afterAll(async () => {
    await session?.close();
    await pool.stopAll();
  });

  it('generated site data: Clear & reload removes it, Undo brings back every record, key and key generator', async () => {
    const [recipe] = fc.sample(siteRecipe, { seed: SEED, numRuns: 1 });
    const why = `seed ${SEED} (SEED=${SEED} to rerun)`;
    const page = new AppPage(await session.newPage(), app);
    await page.open();
    await page.page.evaluate(buildSite, JSON.parse(JSON.stringify(recipe)) as typeof recipe & object);
    const before = await page.page.evaluate(describeSite);
    expect(before, why).toContain('db "" v');
    expect(before.split('\n').filter((l) => l.startsWith('    ') && !l.includes('next key')).length, why).toBeGreaterThanOrEqual(200);

    await clearFromPopup(session, page, why);
    expect(firstDifference(await page.page.evaluate(describeSite), ''), why).toBeNull();

    await undoFromPopup(session, page);
    const after = await page.page.evaluate(describeSite);
    expect(firstDifference(after, before), why).toBeNull();
  });
  it('an app writing every 5 ms during Clear & reload: every record it committed is in the backup, and Undo brings it back', async () => {
    const writer = await pool.serve({ port: 7863, name: 'writer-app' });
    await protect(session, writer.origin);
    const page = new AppPage(await session.newPage(), writer);
    await page.open();
    // Each committed record is reported to the server, which is the test's record of what the app wrote.
    await page.page.evaluate(() => {
      const open = indexedDB.open('writes', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('log', { autoIncrement: true });
      open.onsuccess = () => {
        let n = 0;
        setInterval(() => {
          const mine = ++n;
          const tx = open.result.transaction('log', 'readwrite');
          tx.objectStore('log').add({ n: mine, at: Date.now() });
          tx.oncomplete = () => void fetch(`/committed?n=${mine}`, { keepalive: true }).catch(() => undefined);
        }, 5);
      };
    });
    const committed = () => writer.requests.filter((r) => r.path.startsWith('/committed?')).map((r) => Number(r.path.split('=')[1]));
    await expect.poll(() => committed().length, { timeout: 20_000 }).toBeGreaterThan(50);

    await clearFromPopup(session, page);
    // The new document does not write: what the server heard of is all the app ever committed.
    const wrote = new Set(committed());

    await undoFromPopup(session, page);
    const restored = await page.page.evaluate(
      () =>
        new Promise<number[]>((resolve, reject) => {
          const open = indexedDB.open('writes');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('log').objectStore('log').getAll();
            all.onsuccess = () => resolve((all.result as { n: number }[]).map((r) => r.n));
          };
        }),
    );
    const lost = [...wrote].filter((n) => !restored.includes(n));
    expect({ committed: wrote.size, lost }).toEqual({ committed: wrote.size, lost: [] });
  });
  // Each over the 64 MiB a browser message may carry (Chromium refused a 60 MB Blob sent whole as base64).
  // Blobs now travel by reference, so the Blob is the size a model file or a long recording has (100 MiB).
  it('a 100 MiB Blob and a string of 75 MB come back byte for byte', async () => {
    const big = await pool.serve({ port: 7864, name: 'big-values' });
    await protect(session, big.origin);
    const page = new AppPage(await session.newPage(), big);
    await page.open();
    await page.page.evaluate(async () => {
      const bytes = new Uint8Array(100 * 1024 * 1024);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
      const text = Array.from({ length: 36 }, (_, i) => `${i}:${'ü€x'.repeat(349_525)}`).join('\n');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('models', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('files');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      await new Promise((resolve, reject) => {
        const tx = db.transaction('files', 'readwrite');
        tx.objectStore('files').put(new Blob([bytes], { type: 'application/x-model' }), 'weights');
        tx.objectStore('files').put(text, 'transcript');
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    });
    const fingerprint = () =>
      page.page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('models');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const get = (key: string) =>
          new Promise<unknown>((resolve, reject) => {
            const req = db.transaction('files').objectStore('files').get(key);
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          });
        const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
        const blob = (await get('weights')) as Blob | undefined;
        const text = (await get('transcript')) as string | undefined;
        db.close();
        return {
          blob: blob ? `${blob.type} ${blob.size} ${hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))}` : null,
          text: text === undefined ? null : `${text.length} ${hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))}`,
        };
      });
    const before = await fingerprint();
    expect(before.blob).toMatch(/^application\/x-model 104857600 /);
    expect(before.text).toMatch(/^37748833 /); // 37,748,833 UTF-16 units: 75 MB as UTF-16, 75 MB as UTF-8

    await clearFromPopup(session, page, '', 120_000);
    await undoFromPopup(session, page, 180_000);
    expect(await fingerprint()).toEqual(before);
  });
});
