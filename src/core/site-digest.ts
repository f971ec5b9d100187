/**
 * A fingerprint of site data, per database store and for localStorage, that
 * the page agent computes from what the page holds and the background computes
 * again from the backup it stored and decodes. Equal fingerprints are the proof
 * that a backup gives back what the page had; anything else keeps the site's
 * data. It writes down what the structured clone algorithm keeps: type, own
 * enumerable keys in order, array holes, shared references, key generators and
 * Blob bytes. Works on another realm's objects (the page's, in Firefox): every
 * check is by class, never `instanceof`.
 *
 * Not cryptographic (the page may fingerprint its own data as it likes; it
 * only risks its own backup), and it must run on plain-HTTP LAN pages, where
 * `crypto.subtle` does not exist: two 32-bit FNV-1a lanes over the canonical
 * text, fed as it is written.
 */
import type { SiteDump } from './snapshot-format';

interface StoreDigest {
  database: string;
  store: string;
  records: number;
  hash: string;
}

export interface SiteDigest {
  /** How byte content was hashed: 'sha256' natively, or 'fnv' (the JS lanes) where the page has no crypto.subtle. */
  bytes: 'sha256' | 'fnv';
  localStorage: string;
  stores: StoreDigest[];
}

class Hasher {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;

  text(s: string): this {
    let { a, b } = this;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
    return this.text0();
  }

  bytes(bytes: Uint8Array): this {
    let { a, b } = this;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  /** A separator no text can forge: it is fed as a code unit outside any string. */
  private text0(): this {
    this.a = Math.imul(this.a ^ 0x1f, 0x01000193);
    this.b = Math.imul(this.b ^ 0x1f, 0x5bd1e995) ^ (this.b >>> 15);
    return this;
  }

  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

const classOf = (value: unknown): string => Object.prototype.toString.call(value).slice(8, -1);

const VIEWS = new Set([
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Float16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView',
]);

/** Blob bytes are read in slices, so a 2 GB file never sits in memory whole. */
const BLOB_SLICE = 8 * 1024 * 1024;

/**
 * Writes one value (and everything it reaches) into `h`. Blobs are noted in
 * place and their bytes hashed at the end, in order. Throws on a kind the
 * backup cannot carry, which is what the encoder would do too.
 */
function feed(h: Hasher, value: unknown, seen: Map<object, number>, binary: (Blob | ArrayBuffer)[]): void {
  if (value === null) return void h.text('null');
  switch (typeof value) {
    case 'undefined': return void h.text('u');
    case 'boolean': return void h.text(value ? 't' : 'f');
    case 'number': return void h.text(Object.is(value, -0) ? 'n-0' : `n${value}`);
    case 'bigint': return void h.text(`b${value}`);
    case 'string': return void h.text('s').text(value);
    case 'object': break;
    default: throw new Error(`${typeof value} values cannot be kept`);
  }
  const object = value;
  const ref = seen.get(object);
  if (ref !== undefined) return void h.text(`@${ref}`);
  seen.set(object, seen.size);
  const kind = classOf(object);
  const ownKeys = () => Object.keys(object);
  switch (kind) {
    case 'Date': return void h.text(`D${(object as Date).getTime()}`);
    case 'RegExp': return void h.text('R').text((object as RegExp).source).text((object as RegExp).flags);
    case 'String': case 'Number': case 'Boolean': case 'BigInt':
      h.text(`box ${kind}`);
      return feed(h, (object as { valueOf(): unknown }).valueOf(), seen, binary);
    case 'ArrayBuffer': {
      // Bytes are hashed after the walk, with Blob bytes (see hashBytes): large buffers cost one native digest.
      const buffer = object as ArrayBuffer;
      binary.push(buffer);
      h.text(`AB${buffer.byteLength}`);
      return;
    }
    case 'Blob': case 'File': {
      const blob = object as File;
      binary.push(blob);
      h.text(kind).text(blob.type).text(String(blob.size));
      if (kind === 'File') h.text(blob.name).text(String(blob.lastModified));
      return;
    }
    case 'Map':
      h.text('Map');
      for (const [k, v] of object as Map<unknown, unknown>) {
        feed(h, k, seen, binary);
        feed(h, v, seen, binary);
      }
      h.text('/Map');
      return;
    case 'Set':
      h.text('Set');
      for (const v of object as Set<unknown>) feed(h, v, seen, binary);
      h.text('/Set');
      return;
    case 'Array':
      h.text(`[${(object as unknown[]).length}`);
      for (const key of ownKeys()) {
        h.text(key);
        feed(h, (object as Record<string, unknown>)[key], seen, binary);
      }
      h.text(']');
      return;
    case 'Object':
      h.text('{');
      for (const key of ownKeys()) {
        h.text(key);
        feed(h, (object as Record<string, unknown>)[key], seen, binary);
      }
      h.text('}');
      return;
    default:
      if (VIEWS.has(kind)) {
        const view = object as ArrayBufferView;
        h.text(`${kind} ${view.byteOffset} ${view.byteLength}`);
        return feed(h, view.buffer, seen, binary);
      }
      throw new Error(`${kind} values cannot be kept`);
  }
}

/**
 * The digest of one slice of bytes. SHA-256 where the realm has it (the
 * background always; a page only in a secure context, which plain-HTTP LAN
 * pages are not), else the JS lanes: which one is part of the fingerprint, so
 * both sides hash alike. Native SHA-256 runs at hundreds of MB/s; the JS loop
 * made a 50 MB backup's check cost seconds (npm run bench).
 */
async function hashBytes(bytes: Uint8Array, native: boolean): Promise<string> {
  if (!native) return new Hasher().bytes(bytes).hex();
  const sha = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(sha, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function feedBinary(h: Hasher, binary: (Blob | ArrayBuffer)[], native: boolean): Promise<void> {
  for (const item of binary) {
    if (classOf(item) === 'ArrayBuffer') {
      h.text(await hashBytes(new Uint8Array(item as ArrayBuffer), native));
      continue;
    }
    const blob = item as Blob;
    for (let at = 0; at < blob.size; at += BLOB_SLICE) h.text(await hashBytes(new Uint8Array(await blob.slice(at, at + BLOB_SLICE).arrayBuffer()), native));
    h.text('/blob');
  }
}

/** How this realm hashes bytes: natively where it can (crypto.subtle exists only in secure contexts). */
export function hashingHere(): SiteDigest['bytes'] {
  return typeof crypto !== 'undefined' && typeof crypto.subtle?.digest === 'function' ? 'sha256' : 'fnv';
}

/** The fingerprint of a backup's content, from the page's objects or from a decoded backup alike. */
export async function digestSite(dump: SiteDump, bytes: SiteDigest['bytes'] = hashingHere()): Promise<SiteDigest> {
  const ls = new Hasher();
  for (const [key, value] of dump.localStorage) ls.text(key).text(value);
  const stores: StoreDigest[] = [];
  for (const db of dump.databases) {
    for (const store of db.stores) {
      const h = new Hasher();
      const seen = new Map<object, number>();
      const binary: (Blob | ArrayBuffer)[] = [];
      h.text(`v${db.version}`).text(JSON.stringify(store.keyPath)).text(String(store.autoIncrement)).text(String(store.nextKey ?? ''));
      for (const i of store.indexes) h.text(i.name).text(JSON.stringify(i.keyPath)).text(`${i.unique} ${i.multiEntry}`);
      h.text(`${store.keys.length} ${store.values.length}`);
      for (let i = 0; i < store.keys.length; i++) {
        // One record's key and value share no object with another record's (each is its own clone).
        seen.clear();
        feed(h, store.keys[i], seen, binary);
        feed(h, store.values[i], seen, binary);
      }
      await feedBinary(h, binary, bytes === 'sha256');
      stores.push({ database: db.name, store: store.name, records: store.keys.length, hash: h.hex() });
    }
  }
  return { bytes, localStorage: ls.hex(), stores };
}

/** What differs between the page's fingerprint and the backup's, in words; null when they agree. */
export function digestDifference(page: SiteDigest, backup: SiteDigest): string | null {
  if (page.bytes !== backup.bytes) return 'the fingerprints were made differently';
  if (page.localStorage !== backup.localStorage) return 'localStorage';
  const label = (s: StoreDigest) => `"${s.database}" / "${s.store}"`;
  for (const [i, s] of page.stores.entries()) {
    const b = backup.stores[i];
    if (!b || b.database !== s.database || b.store !== s.store) return `${label(s)} is missing from the backup`;
    if (b.records !== s.records) return `${label(s)}: ${b.records} of ${s.records} records`;
    if (b.hash !== s.hash) return `${label(s)}: the backup's records differ from the page's`;
  }
  if (backup.stores.length !== page.stores.length) return 'the backup holds a store the page does not';
  return null;
}
