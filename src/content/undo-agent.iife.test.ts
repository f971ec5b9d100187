import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { digestSite } from '../core/site-digest';
import { decodeDump } from '../core/snapshot-format';
import type { BackupMessage } from '../core/undo-protocol';
import { portPair, type FakePort } from '../test/fake-port';
import { MemoryStorage } from '../test/live-page';

/** A page of http://localhost:7860 as the agent sees it: its storage, its origin, and a way to the "background". */
const ORIGIN = 'http://localhost:7860';
let connect: (name: string) => FakePort;
Object.assign(globalThis, {
  location: { origin: ORIGIN },
  localStorage: new MemoryStorage(),
  chrome: { runtime: { connect: ({ name }: { name: string }) => connect(name) } },
});
await import('./undo-agent.iife');
const agent = globalThis.__stalebusterUndo!;

function open(name: string, version: number, upgrade: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => upgrade(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
const done = (tx: IDBTransaction) => new Promise<void>((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error); });
const get = <T>(req: IDBRequest<T>) => new Promise<T>((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });

/** A chat app's data: 200 messages (auto-increment keys, an index, Dates, a Blob every 50th), settings under string keys. */
async function seedChatApp(): Promise<void> {
  const db = await open('chat-app', 4, (db) => {
    const messages = db.createObjectStore('messages', { keyPath: 'id', autoIncrement: true });
    messages.createIndex('byRoom', 'room');
    messages.createIndex('byTag', 'tags', { multiEntry: true });
    messages.createIndex('byUuid', 'uuid', { unique: true });
    db.createObjectStore('settings');
  });
  const tx = db.transaction(['messages', 'settings'], 'readwrite');
  for (let i = 0; i < 200; i++) {
    tx.objectStore('messages').add({
      uuid: `m-${i}`, room: `room-${i % 4}`, tags: i % 3 ? ['a', 'b'] : [], text: `message ${i}`, at: new Date(1_700_000_000_000 + i * 1000),
      ...(i % 50 === 0 ? { attachment: new Blob([new Uint8Array(1024).fill(i % 256)], { type: 'image/png' }) } : {}),
    });
  }
  tx.objectStore('settings').put({ theme: 'dark', limits: new Map([['tokens', 4096]]) }, 'prefs');
  tx.objectStore('settings').put(new Uint8Array([1, 2, 3]), 'binary');
  await done(tx);
  db.close();
  localStorage.setItem('workflow', JSON.stringify({ nodes: [1, 2, 3] }));
  localStorage.setItem('token', 'abc');
}

/** Everything in the origin, Blob bytes included, for deep comparison. */
async function everything(): Promise<unknown> {
  const out: Record<string, unknown> = { localStorage: Object.fromEntries([...Array(localStorage.length)].map((_, i) => [localStorage.key(i), localStorage.getItem(localStorage.key(i)!)])) };
  for (const { name, version } of await indexedDB.databases()) {
    const db = await open(name!, version!, () => undefined);
    const stores: Record<string, unknown> = {};
    for (const s of Array.from(db.objectStoreNames)) {
      const store = db.transaction(s).objectStore(s);
      const values = await get(store.getAll());
      for (const v of values as Record<string, unknown>[]) if (v && (v as { attachment?: Blob }).attachment) (v as Record<string, unknown>).attachment = [...new Uint8Array(await (v.attachment as Blob).arrayBuffer())];
      stores[s] = {
        keyPath: store.keyPath, autoIncrement: store.autoIncrement,
        indexes: Array.from(store.indexNames).map((n) => { const i = store.index(n); return [n, i.keyPath, i.unique, i.multiEntry]; }),
        keys: await get(store.getAllKeys()), values,
      };
    }
    out[`${name}@${version}`] = stores;
    db.close();
  }
  return out;
}

let sent: BackupMessage[] = [];
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  sent = [];
  // The background's side of a backup: keep every message, answer "stored"; of a restore: send them back.
  connect = (name) => {
    const { page, ext } = portPair(name, { id: 'ext' });
    if (name.startsWith('undo-snapshot:')) {
      ext.onMessage.addListener((m) => {
        sent.push(m as BackupMessage);
        if ((m as BackupMessage).t === 'end') ext.postMessage({ t: 'stored' });
      });
    } else {
      queueMicrotask(() => sent.forEach((m) => ext.postMessage(m)));
    }
    return page;
  };
});

describe('the page agent', () => {
  it('backs up the whole origin and restores it exactly, replacing what was written since', async () => {
    await seedChatApp();
    const before = await everything();

    expect(await agent.snapshot(ORIGIN, 't1', 50 * 2 ** 20)).toMatchObject({ ok: true, empty: false });
    expect(sent[0]).toMatchObject({ t: 'head', parts: 4, records: 202, databases: 1, localStorageItems: 2 });

    // Clear & reload wiped the origin; the new version of the app wrote data of its own.
    globalThis.indexedDB = new IDBFactory();
    localStorage.clear();
    const fresh = await open('chat-app', 5, (db) => db.createObjectStore('v5-store'));
    fresh.close();
    localStorage.setItem('written-after', 'by v2');

    expect(await agent.restore(ORIGIN, 't2')).toEqual({ ok: true, databases: 1, records: 202, localStorageItems: 2 });
    expect(await everything()).toEqual(before);

    // The key generator went on from the restored keys: the app's next message is 201, not 1.
    const db = await open('chat-app', 4, () => undefined);
    const tx = db.transaction('messages', 'readwrite');
    const key = await get(tx.objectStore('messages').add({ uuid: 'new', room: 'r', tags: [] }));
    expect(key).toBe(201);
    db.close();
  });

  it('a value the backup format cannot carry fails the backup by name, and sends nothing', async () => {
    const db = await open('odd-app', 1, (d) => d.createObjectStore('things'));
    const tx = db.transaction('things', 'readwrite');
    // Storable in IndexedDB (structured clone), not by the backup format.
    tx.objectStore('things').put({ error: new RangeError('kept by the app') }, 'last-error');
    await done(tx);
    db.close();
    const result = await agent.snapshot(ORIGIN, 't5', 50 * 2 ** 20);
    expect(result).toMatchObject({ ok: false, error: 'read-failed', detail: expect.stringMatching(/values cannot be kept|non-POJO|Cannot stringify/) });
    expect(sent).toEqual([]);
  });

  it('an empty site needs no backup', async () => {
    expect(await agent.snapshot(ORIGIN, 't3', 1e9)).toEqual({ ok: true, empty: true });
    expect(sent).toEqual([]);
  });

  it('says how big a site over the cap is, and sends nothing', async () => {
    await seedChatApp();
    const result = await agent.snapshot(ORIGIN, 't4', 1000);
    expect(result).toMatchObject({ ok: false, error: 'over-cap' });
    expect((result as { bytes: number }).bytes).toBeGreaterThan(4096);
    expect(sent).toEqual([]);
  });

  it('never touches a page that is no longer of the origin it was sent for', async () => {
    expect(await agent.snapshot('http://localhost:8501', 't5', 1e9)).toEqual({ ok: false, error: 'navigated' });
    expect(await agent.restore('http://localhost:8501', 't6')).toEqual({ ok: false, error: 'navigated' });
  });

  it('sends Blobs as they are, one message each, and restores them', async () => {
    await seedChatApp();
    const before = await everything();
    expect(await agent.snapshot(ORIGIN, 't7', 50 * 2 ** 20)).toMatchObject({ ok: true, empty: false });
    const parts = sent.filter((m) => m.t === 'part');
    expect(parts).toHaveLength(4);
    expect(parts.every((m) => m.blob instanceof Blob && m.blob.size === 1024)).toBe(true);
    globalThis.indexedDB = new IDBFactory();
    localStorage.clear();
    expect(await agent.restore(ORIGIN, 't8')).toMatchObject({ ok: true, records: 202 });
    expect(await everything()).toEqual(before);
  });

  /** What the background computes from what it received (background/backup digestStored), from `sent`. */
  async function backgroundsFingerprint(): Promise<unknown> {
    const head = sent.find((m) => m.t === 'head') as Extract<BackupMessage, { t: 'head' }>;
    const text = sent.flatMap((m) => (m.t === 'text' ? [m.chunk] : [])).join('');
    const parts: Blob[] = [];
    for (const m of sent) if (m.t === 'part') parts[m.index] = m.blob;
    return digestSite(decodeDump(text, parts), head.hashing);
  }

  it('says "sent" after its last part and only then its fingerprint, which matches what the background gets', async () => {
    await seedChatApp();
    expect(await agent.snapshot(ORIGIN, 't9', 50 * 2 ** 20)).toMatchObject({ ok: true, empty: false });
    const order = sent.map((m) => m.t).filter((t) => t !== 'progress');
    expect(order[0]).toBe('head');
    expect(order.slice(-2)).toEqual(['sent', 'end']);
    expect(order.slice(1, -2).every((t) => t === 'text' || t === 'part')).toBe(true);
    const head = sent[0] as Extract<BackupMessage, { t: 'head' }>;
    expect(head.hashing).toBe('sha256');
    const end = sent.at(-1) as Extract<BackupMessage, { t: 'end' }>;
    expect(end.digest).toEqual(await backgroundsFingerprint());
  });

  it('on a plain-HTTP page (no crypto.subtle) fingerprints with the JS lanes, and says so in its head', async () => {
    await seedChatApp();
    const subtle = Object.getOwnPropertyDescriptor(globalThis.crypto, 'subtle');
    Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true });
    try {
      expect(await agent.snapshot(ORIGIN, 't10', 50 * 2 ** 20)).toMatchObject({ ok: true, empty: false });
    } finally {
      if (subtle) Object.defineProperty(globalThis.crypto, 'subtle', subtle);
      else delete (globalThis.crypto as { subtle?: unknown }).subtle;
    }
    expect((sent[0] as Extract<BackupMessage, { t: 'head' }>).hashing).toBe('fnv');
    const end = sent.at(-1) as Extract<BackupMessage, { t: 'end' }>;
    expect(end.digest?.bytes).toBe('fnv');
    // The background hashes what it stored the way the head said, with crypto.subtle of its own.
    expect(end.digest).toEqual(await backgroundsFingerprint());
  });
});
