import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protect } from './drivers/launch';
import { FirefoxSession } from './drivers/firefox';
import type { PageLike } from './drivers/session';
import { appPool, type AppServer } from './fixtures/app-server';
import { PopupPage } from './pages/popup-page';

/**
 * Firefox containers: one origin open in the default container and in a second
 * one, each with its own IndexedDB and localStorage. A clear in the container
 * touches only the container; Undo puts its backup back there, whichever tab
 * asks, and never into the default container.
 */
type Held = { ls: string | null; databases: string[]; notes: string[] };

/** Runs in the page: what the page's own partition holds. */
async function holds(): Promise<Held> {
  const databases = (await indexedDB.databases()).map((d) => d.name!).sort();
  let notes: string[] = [];
  if (databases.includes('notes')) {
    notes = await new Promise<string[]>((resolve, reject) => {
      const open = indexedDB.open('notes');
      open.onsuccess = () => {
        const all = open.result.transaction('n').objectStore('n').getAll();
        all.onsuccess = () => {
          open.result.close();
          resolve(all.result as string[]);
        };
      };
      open.onerror = () => reject(open.error);
    });
  }
  return { ls: localStorage.getItem('who'), databases, notes };
}

/** Runs in the page: its data, and (in the container) a connection it keeps open, as a running app does. */
async function seed(who: string): Promise<void> {
  localStorage.setItem('who', who);
  const make = (name: string) =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name, 1);
      open.onupgradeneeded = () => open.result.createObjectStore('n', { autoIncrement: true });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  const db = await make('notes');
  await new Promise((resolve) => {
    const tx = db.transaction('n', 'readwrite');
    tx.objectStore('n').add(`${who} note`);
    tx.oncomplete = resolve;
  });
  if (who === 'container') {
    (await make('')).close();
    (window as { held?: IDBDatabase }).held = db;
  } else db.close();
}

describe('Firefox containers', () => {
  const pool = appPool();
  let session: FirefoxSession;
  let app: AppServer;
  let plain: PageLike;
  let contained: PageLike;

  beforeAll(async () => {
    app = await pool.serve({ port: 7866, name: 'container-app' });
    session = await FirefoxSession.launch();
    await protect(session, app.origin);
  });
  afterAll(async () => {
    await session?.close();
    await pool.stopAll();
  });

  it('a clear in one container leaves the other untouched; Undo restores into the first only', async () => {
    plain = await session.newPage();
    await plain.goto(`${app.origin}/`);
    contained = await session.newPageInContainer();
    await contained.goto(`${app.origin}/`);
    await plain.evaluate(seed, 'default');
    await contained.evaluate(seed, 'container');
    const plainBefore = await plain.evaluate(holds);
    const containedBefore = await contained.evaluate(holds);
    expect(plainBefore).toEqual({ ls: 'default', databases: ['notes'], notes: ['default note'] });
    expect(containedBefore).toEqual({ ls: 'container', databases: ['', 'notes'], notes: ['container note'] });

    const tabs = await session.extension(
      async (origin) => (await chrome.tabs.query({})).filter((t) => t.url?.startsWith(origin)).map((t) => ({ id: t.id!, store: (t as { cookieStoreId?: string }).cookieStoreId })),
      app.origin,
    );
    const containerTab = tabs.find((t) => t.store !== 'firefox-default')!;
    const defaultTab = tabs.find((t) => t.store === 'firefox-default')!;
    expect(containerTab.store).toMatch(/^firefox-container-/);

    const stamp = await contained.evaluate(() => performance.timeOrigin);
    const popup = new PopupPage(await session.openPopupFor(containerTab.id));
    await popup.clearAndReload();
    // The app's own script ran in the new document: not the paused load, the one after the clear.
    await contained.waitFor((s) => performance.timeOrigin !== s && document.readyState === 'complete' && window.__READY__ === true, stamp, 30_000);
    await popup.page.close().catch(() => undefined);
    const report = await session.extension(async (origin) => ((await chrome.storage.local.get('reports')).reports as Record<string, unknown>)[origin], app.origin);
    expect(report, JSON.stringify(report)).toMatchObject({ keptSiteData: false, undo: { id: expect.any(String) } });
    expect(await contained.evaluate(holds)).toEqual({ ls: null, databases: [], notes: [] });
    expect(await plain.evaluate(holds)).toEqual(plainBefore);

    // The default container's popup does not offer the container's backup.
    const other = new PopupPage(await session.openPopupFor(defaultTab.id));
    await other.page.waitForSelector('[data-testid="page-status"]');
    expect(await other.page.$('.undo-row')).toBeNull();
    await other.page.close().catch(() => undefined);

    // Asked from the default container's tab, Undo still restores into the container, and only there.
    const snapshotId = await session.extension(
      async ({ origin, store }) =>
        Object.values(((await chrome.storage.local.get('snapshots')).snapshots ?? {}) as Record<string, { id: string; origin: string; partition?: string }>).find(
          (s) => s.origin === origin && s.partition === store,
        )?.id,
      { origin: app.origin, store: containerTab.store },
    );
    expect(snapshotId).toEqual(expect.any(String));
    const result = await session.extension(
      ({ snapshotId, tabId }) => chrome.runtime.sendMessage({ type: 'undo', snapshotId, tabId }),
      { snapshotId: snapshotId!, tabId: defaultTab.id },
    );
    expect(result).toMatchObject({ ok: true });
    await contained.waitFor(() => document.readyState === 'complete' && window.__READY__ === true && localStorage.getItem('who') === 'container', undefined, 30_000);
    expect(await contained.evaluate(holds)).toEqual(containedBefore);
    expect(await plain.evaluate(holds)).toEqual(plainBefore);
  });
});
