/**
 * Where Undo's backups live: the extension's own IndexedDB, on this machine
 * only. It is not the page's origin, so no clear of a site touches it, and it
 * survives a restart of the background; the browser deletes it with the
 * extension. Binary parts are stored as the Blobs the page sent; text as
 * strings. Keys: [backup id, part, chunk], part -1 for text.
 */
const DB_NAME = 'stalebuster-undo';
const STORE = 'chunks';

let opening: Promise<IDBDatabase> | null = null;
/** The factory `opening` came from (a test swaps the global for a fresh one). */
let openedWith: IDBFactory | null = null;

function db(): Promise<IDBDatabase> {
  if (openedWith !== indexedDB) opening = null;
  openedWith = indexedDB;
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onsuccess = () => {
      // Another context (the options page deleting backups) may need to upgrade one day: never block it.
      open.result.onversionchange = () => {
        open.result.close();
        opening = null;
      };
      resolve(open.result);
    };
    open.onerror = () => {
      opening = null;
      reject(open.error ?? new Error('could not open the backup store'));
    };
  });
  return opening;
}

/**
 * One transaction on the store. `work` makes its requests and returns how to
 * read their results, which are read once the transaction has completed: every
 * request of one call sees the same state of the store.
 */
function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => (() => T) | void): Promise<T | undefined> {
  return db().then(
    (database) =>
      new Promise<T | undefined>((resolve, reject) => {
        const tx = database.transaction(STORE, mode);
        const read = work(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(read ? read() : undefined);
        tx.onerror = () => reject(tx.error ?? new Error('backup store error'));
        tx.onabort = () => reject(tx.error ?? new Error('backup store write aborted (is the disk full?)'));
      }),
  );
}

const TEXT = -1;

export function putText(id: string, seq: number, chunk: string): Promise<unknown> {
  return run('readwrite', (s) => void s.put(chunk, [id, TEXT, seq]));
}

export function putPart(id: string, part: number, seq: number, bytes: Blob): Promise<unknown> {
  return run('readwrite', (s) => void s.put(bytes, [id, part, seq]));
}

/** A backup's text and binary parts, in order. */
export async function readBackup(id: string): Promise<{ text: string[]; parts: Blob[][] }> {
  const range = IDBKeyRange.bound([id, TEXT, 0], [id, Infinity, Infinity]);
  // Keys and values in one transaction, so a prune running meanwhile cannot pair them wrongly.
  const read = await run('readonly', (s) => {
    const keys = s.getAllKeys(range);
    const values = s.getAll(range);
    return () => ({ keys: keys.result as [string, number, number][], values: values.result as (string | Blob)[] });
  });
  const { keys, values } = read ?? { keys: [], values: [] };
  const text: string[] = [];
  const parts: Blob[][] = [];
  keys.forEach(([, part], i) => {
    const value = values[i];
    if (part === TEXT) text.push(value as string);
    else (parts[part] ??= []).push(value as Blob);
  });
  return { text, parts };
}

export function deleteBackup(id: string): Promise<unknown> {
  return run('readwrite', (s) => void s.delete(IDBKeyRange.bound([id, TEXT, 0], [id, Infinity, Infinity])));
}

/** The ids that have stored chunks (to find what an interrupted backup left behind). */
export async function storedBackupIds(): Promise<Set<string>> {
  const keys = ((await run('readonly', (s) => {
    const all = s.getAllKeys();
    return () => all.result;
  })) ?? []) as [string, number, number][];
  return new Set(keys.map(([id]) => id));
}

export function deleteAllBackups(): Promise<unknown> {
  return run('readwrite', (s) => void s.clear());
}
