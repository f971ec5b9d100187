/**
 * Clear & reload and Undo through the real parts end to end, inside the fake
 * browser: the background's clear and Undo, the real undo agent and the real
 * injected clear, on a page whose storage is its own (test/live-page). The
 * model pages of test/fake-extension cover the protocol's hostile cases; this
 * covers what they stand in for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { local } from '../platform/storage';
import { connectFromPage, openTab, world } from '../test/fake-extension';
import { livePage, type LivePage } from '../test/live-page';
import { clearAndReload } from './clear-and-reload';
import { undo } from './undo';

const URL_A = 'http://localhost:7860/';

/** Run in the page: a chat app's data (auto-increment keys, indexes, Dates, Maps, Blobs) and its settings. */
async function seedChatApp(): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('chat-app', 4);
    req.onupgradeneeded = () => {
      const messages = req.result.createObjectStore('messages', { keyPath: 'id', autoIncrement: true });
      messages.createIndex('byRoom', 'room');
      messages.createIndex('byTag', 'tags', { multiEntry: true });
      req.result.createObjectStore('settings');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction(['messages', 'settings'], 'readwrite');
  for (let i = 0; i < 120; i++) {
    tx.objectStore('messages').add({
      room: `room-${i % 3}`, tags: i % 2 ? ['a', 'b'] : [], text: `message ${i}`, at: new Date(1_700_000_000_000 + i * 1000),
      ...(i % 40 === 0 ? { attachment: new Blob([new Uint8Array(2048).fill(i % 256)], { type: 'image/png' }) } : {}),
    });
  }
  tx.objectStore('settings').put({ theme: 'dark', limits: new Map([['tokens', 4096]]) }, 'prefs');
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  localStorage.setItem('workflow', JSON.stringify({ nodes: [1, 2, 3] }));
  localStorage.setItem('draft', 'half a prompt');
  sessionStorage.setItem('tab-only', 'x');
}

/**
 * Run in the page: everything its storage holds that Undo keeps, Blob bytes and Dates included, comparable
 * as JSON. (sessionStorage is per tab and never the user's work: a clear removes it and no backup keeps it.)
 */
async function everything(): Promise<string> {
  const out: Record<string, unknown> = {};
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) keys.push(localStorage.key(i)!);
  out.localStorage = keys.sort().map((k) => [k, localStorage.getItem(k)]);
  const plain = async (v: unknown): Promise<unknown> => {
    if (Object.prototype.toString.call(v) === '[object Blob]') return { blob: [...new Uint8Array(await (v as Blob).arrayBuffer())], type: (v as Blob).type };
    if (Object.prototype.toString.call(v) === '[object Date]') return { date: (v as Date).getTime() };
    if (Object.prototype.toString.call(v) === '[object Map]') return { map: await plain([...(v as Map<unknown, unknown>)]) };
    if (Array.isArray(v)) return Promise.all(v.map(plain));
    if (v && typeof v === 'object') return Object.fromEntries(await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await plain(x)])));
    return v;
  };
  const req = <T,>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  for (const { name, version } of await indexedDB.databases()) {
    const db = await req(indexedDB.open(name!, version));
    const stores: Record<string, unknown> = {};
    for (const s of Array.from(db.objectStoreNames)) {
      const store = db.transaction(s).objectStore(s);
      stores[s] = {
        keyPath: store.keyPath, autoIncrement: store.autoIncrement,
        indexes: Array.from(store.indexNames).map((n) => [n, store.index(n).keyPath, store.index(n).multiEntry]),
        keys: await req(store.getAllKeys()), values: await plain(await req(store.getAll())),
      };
    }
    out[`${name}@${version}`] = stores;
    db.close();
  }
  return JSON.stringify(out);
}

async function openLive(url: string): Promise<{ tab: number; page: LivePage }> {
  const tab = await openTab(url);
  const page = livePage(url, (name) => connectFromPage(tab, url, name));
  world.livePage = page;
  return { tab, page };
}

describe('Clear & reload and Undo with the real agent and the real page clear', () => {
  it('the backup is taken from the page, the page is wiped, and Undo puts back exactly what was there', async () => {
    const { tab, page } = await openLive(URL_A);
    await page.run(seedChatApp, []);
    page.workers.push({ scope: URL_A });
    await page.caches.open('shell-v1'); // a cache of the old build
    const before = (await page.run(everything, [])) as string;
    expect(before).toContain('half a prompt');

    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({
      ok: true,
      report: { keptSiteData: false, serviceWorkers: 1, caches: ['shell-v1'], localStorageItems: 2, sessionStorageItems: 1, indexedDB: [{ name: 'chat-app', outcome: 'deleted' }] },
    });
    // What the real clear left: nothing of the site's.
    expect(JSON.parse((await page.run(everything, [])) as string)).toEqual({ localStorage: [] });
    expect(page.workers).toEqual([]);
    expect(await page.caches.keys()).toEqual([]);
    const [meta] = Object.values((await local.get('snapshots')) ?? {});
    expect(meta).toMatchObject({ origin: 'http://localhost:7860', records: 121, localStorageItems: 2, databases: 1 });

    // The new version of the app writes something of its own; Undo replaces it with the backup.
    page.localStorage.setItem('written-by-v2', 'x');
    expect(await undo(meta!.id, tab)).toMatchObject({ ok: true, databases: 1, records: 121, localStorageItems: 2 });
    expect(await page.run(everything, [])).toBe(before);
  });

  it("another origin's page is never reached: the real functions check where they run", async () => {
    const { page } = await openLive(URL_A);
    await page.run(seedChatApp, []);
    const before = await page.run(everything, []);
    // The tab has moved on to another origin since the clear was asked for: the page's own check refuses.
    const { clearInPage } = await import('../platform/page-clear');
    expect(await page.run(clearInPage, ['http://localhost:8501', true, null])).toBeNull();
    expect(await page.run(everything, [])).toBe(before);
  });

  it('property: whatever keys and values the page stored (hostile names included) come back exactly after clear and Undo', async () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', '', 'hasOwnProperty'));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, fc.string()), fc.array(fc.tuple(key, fc.jsonValue()), { maxLength: 20 }), async (items, records) => {
        const { tab, page } = await openLive(URL_A);
        await page.run(storeItems, [Object.entries(items), records]);
        const before = (await page.run(everything, [])) as string;
        const result = await clearAndReload(tab, 'popup');
        if (!result.ok) throw new Error(`clear failed: ${JSON.stringify(result)}`);
        const id = result.report.undo?.id;
        if (Object.keys(items).length === 0 && records.length === 0) {
          expect(id).toBeUndefined(); // nothing to back up
          return;
        }
        expect(JSON.parse((await page.run(everything, [])) as string)).toEqual({ localStorage: [] });
        expect(await undo(id!, tab)).toMatchObject({ ok: true });
        expect(await page.run(everything, [])).toBe(before);
      }),
      { numRuns: 40 },
    );
  });
});

/** Run in the page: localStorage items, and records under string keys in one object store. */
async function storeItems(items: [string, string][], records: [string, unknown][]): Promise<void> {
  for (const [k, v] of items) localStorage.setItem(k, v);
  if (records.length === 0) return;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('kv', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('things');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction('things', 'readwrite');
  for (const [k, v] of records) tx.objectStore('things').put(v, k);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}
