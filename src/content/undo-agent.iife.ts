/**
 * Injected into a page (never declared) to back up or restore its origin's
 * localStorage and IndexedDB for Undo. It runs in the extension's isolated
 * world of the page's own origin, which is what makes it port-exact, and it
 * checks `location.origin` itself: a tab that navigated away is never touched.
 * The background starts it with `__stalebusterUndo.snapshot/restore`; the data
 * travels over a Port (see core/undo-protocol).
 */
import { connectPort, pageView } from '../platform/content-bridge';
import { digestSite, hashingHere } from '../core/site-digest';
import { decodeDump, dumpStats, encodeDump, isEmptyDump, type DatabaseDump, type SiteDump, type StoreDump } from '../core/snapshot-format';
import {
  KEEP_ALIVE_MS, RESTORE_PORT, SNAPSHOT_PORT, chunks,
  type AgentRestoreResult, type AgentSnapshotResult, type BackupMessage, type BackupReply, type RestoreReply,
} from '../core/undo-protocol';

const WAIT_MS = 10_000;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Opens an existing database at its current version; null if it vanished meanwhile. */
function openExisting(name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    const timer = setTimeout(() => reject(new Error(`database "${name}" is blocked by the app`)), WAIT_MS);
    open.onupgradeneeded = () => open.transaction?.abort(); // it did not exist: do not create it
    open.onsuccess = () => {
      clearTimeout(timer);
      resolve(open.result);
    };
    open.onerror = () => {
      clearTimeout(timer);
      if (open.error?.name === 'AbortError') resolve(null);
      else reject(open.error ?? new Error(`could not open "${name}"`));
    };
  });
}

/**
 * The key an auto-increment store hands out next, which no read shows (records
 * 6–10 deleted leave it at 11): a record is added in a transaction that is then
 * aborted, and an abort puts the generator back where it was (IndexedDB §2.11,
 * "key generators"). Null where the store refuses the probe.
 */
async function nextGeneratedKey(db: IDBDatabase, storeName: string, keyPath: string | string[] | null): Promise<number | null> {
  const tx = db.transaction(storeName, 'readwrite');
  const done = new Promise<void>((resolve) => {
    tx.onabort = () => resolve();
    tx.oncomplete = () => resolve();
  });
  let key: IDBValidKey | null;
  try {
    const store = tx.objectStore(storeName);
    key = await request(keyPath === null ? store.add(0) : store.add({}));
  } catch {
    key = null;
  } finally {
    try {
      tx.abort();
    } catch {
      // Already ended by the failed request.
    }
  }
  await done;
  return typeof key === 'number' ? key : null;
}

async function readDatabase(name: string): Promise<DatabaseDump | null> {
  const db = await openExisting(name);
  if (!db) return null;
  try {
    const names = Array.from(db.objectStoreNames);
    const stores: StoreDump[] = [];
    if (names.length > 0) {
      // One read-only transaction over every store: a consistent picture.
      const tx = db.transaction(names, 'readonly');
      const read = names.map(async (storeName) => {
        const store = tx.objectStore(storeName);
        const indexes = Array.from(store.indexNames).map((n) => {
          const index = store.index(n);
          return { name: n, keyPath: pageView(index.keyPath), unique: index.unique, multiEntry: index.multiEntry };
        });
        const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
        // The page's own view (see pageView), encoded as it is: a structured clone into this script's realm
        // would go through Firefox's Xray view again, or refuse (a boxed BigInt "could not be cloned").
        return { name: storeName, keyPath: pageView(store.keyPath), autoIncrement: store.autoIncrement, indexes, keys: pageView(keys), values: pageView(values) };
      });
      for (const store of await Promise.all(read)) {
        const nextKey = store.autoIncrement ? await nextGeneratedKey(db, store.name, store.keyPath) : null;
        stores.push({ ...store, ...(nextKey !== null ? { nextKey } : {}) });
      }
    }
    return { name, version: db.version, stores };
  } finally {
    db.close();
  }
}

async function readSite(): Promise<SiteDump> {
  const localStorageItems: [string, string][] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key !== null) localStorageItems.push([key, localStorage.getItem(key) ?? '']);
  }
  const databases: DatabaseDump[] = [];
  for (const { name } of await indexedDB.databases()) {
    // "" is a database name like any other; only a missing name is no database.
    if (typeof name !== 'string') continue;
    const dump = await readDatabase(name);
    if (dump) databases.push(dump);
  }
  return { localStorage: localStorageItems, databases };
}

function nextMessage<T>(port: chrome.runtime.Port): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T) => {
      port.onMessage.removeListener(onMessage);
      port.onDisconnect.removeListener(onDisconnect);
      resolve(message);
    };
    const onDisconnect = () => reject(new Error('the extension closed the connection'));
    port.onMessage.addListener(onMessage);
    port.onDisconnect.addListener(onDisconnect);
  });
}

/** Says "still working" on the port until stopped (see KEEP_ALIVE_MS). */
function keepAlive(port: chrome.runtime.Port): () => void {
  const timer = setInterval(() => {
    try {
      port.postMessage({ t: 'progress' } satisfies BackupMessage);
    } catch {
      clearInterval(timer); // the other side is gone
    }
  }, KEEP_ALIVE_MS);
  return () => clearInterval(timer);
}

async function snapshot(expectedOrigin: string, token: string, maxBytes: number): Promise<AgentSnapshotResult> {
  if (location.origin !== expectedOrigin) return { ok: false, error: 'navigated' };
  // Connected before the reading starts, so the background stays alive however long that takes.
  const port = connectPort(SNAPSHOT_PORT + token);
  const stop = keepAlive(port);
  try {
    let dump: SiteDump;
    try {
      dump = await readSite();
    } catch (e) {
      return { ok: false, error: 'read-failed', detail: e instanceof Error ? e.message : String(e) };
    }
    if (isEmptyDump(dump)) return { ok: true, empty: true };
    let encoded: ReturnType<typeof encodeDump>;
    try {
      encoded = encodeDump(dump);
    } catch (e) {
      // A value the format cannot carry (a CryptoKey, say): no backup, so the clear keeps the data.
      return { ok: false, error: 'read-failed', detail: e instanceof Error ? e.message : String(e) };
    }
    const { text, blobs } = encoded;
    const bytes = text.length + blobs.reduce((n, b) => n + b.size, 0);
    if (bytes > maxBytes) return { ok: false, error: 'over-cap', bytes };

    const reply = nextMessage<BackupReply>(port);
    try {
      const send = (m: BackupMessage) => port.postMessage(m);
      const hashing = hashingHere();
      send({ t: 'head', parts: blobs.length, bytes, ...dumpStats(dump), hashing });
      for (const chunk of chunks(text)) send({ t: 'text', chunk });
      // By reference: the Blob's bytes are not copied into the message, whatever its size.
      for (const [index, blob] of blobs.entries()) send({ t: 'part', index, blob });
      send({ t: 'sent' });
      // From the page's own objects, while the background stores and fingerprints what it received:
      // the background proves the stored backup decodes to the same.
      let digest;
      try {
        digest = await digestSite(dump, hashing);
      } catch (e) {
        // A value the format cannot carry (a CryptoKey, say): no backup, so the clear keeps the data.
        return { ok: false, error: 'read-failed', detail: e instanceof Error ? e.message : String(e) };
      }
      send({ t: 'end', digest });
      const answer = await reply;
      return answer.t === 'stored' ? { ok: true, empty: false, bytes } : { ok: false, error: 'send-failed', detail: answer.error };
    } catch (e) {
      return { ok: false, error: 'send-failed', detail: e instanceof Error ? e.message : String(e) };
    }
  } finally {
    stop();
    port.disconnect();
  }
}

/** Receives a backup from the background: its text and binary parts. */
async function receive(port: chrome.runtime.Port): Promise<SiteDump> {
  return new Promise((resolve, reject) => {
    const text: string[] = [];
    const parts: BlobPart[][] = [];
    port.onDisconnect.addListener(() => reject(new Error('the extension closed the connection')));
    port.onMessage.addListener((m: BackupMessage) => {
      try {
        if (m.t === 'head') for (let i = 0; i < m.parts; i++) parts.push([]);
        else if (m.t === 'text') text.push(m.chunk);
        else if (m.t === 'part') parts[m.index]!.push(m.blob);
        else if (m.t === 'end') resolve(decodeDump(text.join(''), parts.map((p) => new Blob(p))));
      } catch (e) {
        reject(e);
      }
    });
  });
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    const timer = setTimeout(() => reject(Object.assign(new Error(`database "${name}" is held open by the app`), { blocked: true })), WAIT_MS);
    req.onsuccess = () => {
      clearTimeout(timer);
      resolve();
    };
    req.onerror = () => {
      clearTimeout(timer);
      reject(req.error ?? new Error(`could not delete "${name}"`));
    };
  });
}

/**
 * Sets the key generator to where it was: a record under the key just below
 * the next one moves the generator past it (IndexedDB §2.11), and is deleted
 * again. Skipped where that key is a real record (the generator is there already).
 */
function bumpGenerator(store: IDBObjectStore, s: StoreDump): void {
  if (!s.autoIncrement || s.nextKey === undefined || s.nextKey <= 1) return;
  const key = s.nextKey - 1;
  if (s.keys.some((k) => k === key)) return;
  if (s.keyPath === null) store.put(0, key);
  else if (typeof s.keyPath === 'string') {
    // An auto-increment key path is one dotted path (never an array): the key goes at its end.
    const value: Record<string, unknown> = {};
    const parts = s.keyPath.split('.');
    let at = value;
    for (const part of parts.slice(0, -1)) at = (at[part] = {}) as Record<string, unknown>;
    at[parts.at(-1)!] = key;
    store.put(value);
  } else return;
  store.delete(key);
}

/** Creates a database exactly as it was: version, stores, indexes, every record under its key. */
function writeDatabase(dump: DatabaseDump): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(dump.name, dump.version);
    open.onupgradeneeded = () => {
      const db = open.result;
      for (const s of dump.stores) {
        const store = db.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
        for (const i of s.indexes) store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
      }
    };
    open.onerror = () => reject(open.error ?? new Error(`could not create "${dump.name}"`));
    open.onsuccess = () => {
      const db = open.result;
      const names = dump.stores.map((s) => s.name);
      if (names.length === 0) {
        db.close();
        resolve();
        return;
      }
      const tx = db.transaction(names, 'readwrite');
      for (const s of dump.stores) {
        const store = tx.objectStore(s.name);
        // In-line keys sit in the value (and set the key generator); out-of-line keys are given.
        for (let i = 0; i < s.keys.length; i++) {
          if (s.keyPath === null) store.put(s.values[i], s.keys[i] as IDBValidKey);
          else store.put(s.values[i]);
        }
        bumpGenerator(store, s);
      }
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error ?? new Error(`could not write "${dump.name}"`));
      tx.onabort = () => reject(tx.error ?? new Error(`writing "${dump.name}" was aborted`));
    };
  });
}

async function restore(expectedOrigin: string, token: string): Promise<AgentRestoreResult> {
  if (location.origin !== expectedOrigin) return { ok: false, error: 'navigated' };
  const port = connectPort(RESTORE_PORT + token);
  const reply = (m: RestoreReply) => port.postMessage(m);
  const stop = keepAlive(port);
  try {
    const dump = await receive(port);
    // What the app wrote since the clear is replaced: Undo puts back the backup, not a mix.
    for (const { name } of await indexedDB.databases()) if (typeof name === 'string') await deleteDatabase(name);
    for (const db of dump.databases) await writeDatabase(db);
    localStorage.clear();
    for (const [key, value] of dump.localStorage) localStorage.setItem(key, value);
    const stats = dumpStats(dump);
    reply({ t: 'restored', ...stats });
    return { ok: true, ...stats };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    reply({ t: 'failed', error: detail });
    return { ok: false, error: (e as { blocked?: boolean }).blocked ? 'blocked' : 'write-failed', detail };
  } finally {
    stop();
    port.disconnect();
  }
}

declare global {
  var __stalebusterUndo: { snapshot: typeof snapshot; restore: typeof restore } | undefined;
}

globalThis.__stalebusterUndo = { snapshot, restore };
