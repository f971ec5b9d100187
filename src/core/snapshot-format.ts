/**
 * The backup Undo restores: an origin's localStorage and every IndexedDB
 * database, schema and records, with values as the structured clone algorithm
 * keeps them. Encoded by devalue (Dates, Maps, Sets, typed arrays and
 * ArrayBuffers, BigInt, undefined, NaN, -0, cycles and shared references), with
 * Blobs and Files kept out of the text as numbered binary parts, which travel
 * by reference (core/undo-protocol) while the text goes in chunks (a message
 * carries 64 MiB at most in Chromium).
 */
import { parse, stringify } from 'devalue';

interface IndexSchema {
  name: string;
  keyPath: string | string[];
  unique: boolean;
  multiEntry: boolean;
}

export interface StoreDump {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: IndexSchema[];
  /** Primary keys and values, in key order, pairwise. */
  keys: unknown[];
  values: unknown[];
  /** What an auto-increment store's key generator hands out next (not always the largest key + 1). */
  nextKey?: number;
}

export interface DatabaseDump {
  name: string;
  version: number;
  stores: StoreDump[];
}

export interface SiteDump {
  localStorage: [string, string][];
  databases: DatabaseDump[];
}


/** A Blob in the text: its part number and what `new Blob`/`new File` need besides the bytes. */
type BlobRef = [index: number, type: string, name: string | null, lastModified: number | null];

/** The built-in class of a value from any realm (`instanceof` fails across realms, Firefox's page objects among them). */
const classOf = (value: unknown): string => Object.prototype.toString.call(value).slice(8, -1);

/**
 * An object that owns a key named `__proto__` (JSON.parse makes them): devalue
 * refuses those, and plain assignment would set the prototype instead, so such
 * an object travels as its entries and is rebuilt with defineProperty.
 */
type KeyedEntries = [key: string, value: unknown][];

/**
 * `dump` may hold another realm's objects (the page's, in Firefox): every
 * check here is by class, never `instanceof`, and reads go through devalue's
 * plain property access, which the page's own view allows.
 */
export function encodeDump(dump: SiteDump): { text: string; blobs: Blob[] } {
  const blobs: Blob[] = [];
  const text = stringify(dump, {
    Keyed: (value: unknown): KeyedEntries | false => {
      if (value === null || typeof value !== 'object' || classOf(value) !== 'Object' || !Object.hasOwn(value, '__proto__')) return false;
      return Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]);
    },
    Blob: (value: unknown): BlobRef | false => {
      const kind = classOf(value);
      if (kind !== 'Blob' && kind !== 'File') return false;
      const blob = value as Blob;
      blobs.push(blob);
      const file = kind === 'File' ? (blob as File) : null;
      return [blobs.length - 1, blob.type, file?.name ?? null, file?.lastModified ?? null];
    },
  });
  return { text, blobs };
}

export function decodeDump(text: string, blobs: readonly Blob[]): SiteDump {
  return parse(text, {
    Keyed: (entries: KeyedEntries) => {
      const value: Record<string, unknown> = {};
      for (const [key, v] of entries) Object.defineProperty(value, key, { value: v, enumerable: true, writable: true, configurable: true });
      return value;
    },
    Blob: ([index, type, name, lastModified]: BlobRef) => {
      const bytes = blobs[index];
      if (!bytes) throw new Error(`backup part ${index} is missing`);
      return name === null ? new Blob([bytes], { type }) : new File([bytes], name, { type, lastModified: lastModified ?? Date.now() });
    },
  }) as SiteDump;
}

export function dumpStats(dump: SiteDump): { localStorageItems: number; databases: number; records: number } {
  return {
    localStorageItems: dump.localStorage.length,
    databases: dump.databases.length,
    records: dump.databases.reduce((n, db) => n + db.stores.reduce((m, s) => m + s.keys.length, 0), 0),
  };
}

/** Nothing to keep: no localStorage item and no record (empty databases are recreated by the app itself). */
export function isEmptyDump(dump: SiteDump): boolean {
  const stats = dumpStats(dump);
  return stats.localStorageItems === 0 && stats.records === 0;
}
