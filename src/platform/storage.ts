import type { Origin } from '../core/origin';
import type { RulesStatus, SettingsAside } from '../core/records';
import {
  itemsIn, migrateValue, readMap, readValue, STORED_ITEMS, VERSIONS_KEY, readVersions,
  type Area, type ItemValue, type MapItem, type RecordsItem, type StoredItem, type StoredItems, type ValueItem,
} from '../core/stored-items';
import { effectiveSettings } from '../core/managed';
import { loadSettings, type LoadResult, type Settings } from '../core/settings';
import { browser } from './browser';
import { readPolicy } from './managed';

/*
 * The one door to extension storage. What is stored is declared once, in
 * core/stored-items.ts (key, area, schema, version, migrations, retention);
 * this module reads and writes only those items. The background service worker
 * can be stopped at any moment, so nothing that must outlive one event lives in
 * a module variable.
 */

type LocalItems = { [K in keyof StoredItems as StoredItems[K] extends ValueItem<unknown> | MapItem<unknown> ? K : never]: StoredItems[K] };
/** Extension-local values by name (settings, reports, …), each its item's checked value. */
export type LocalSchema = { [K in keyof LocalItems]: ItemValue<LocalItems[K]> };
export type { RulesStatus, SettingsAside };

/** A site's recorded version, as the `fingerprints` item declares it. */
export type StoredFingerprint = LocalSchema['fingerprints'][string];

/**
 * Every value is checked when read: storage outlives the code that wrote it. A
 * malformed map entry is dropped (and logged), a malformed value reads as absent;
 * neither ever reaches the UI. Settings have their own reader (loadSettings).
 */
function checked<K extends keyof LocalSchema>(key: K, raw: unknown): LocalSchema[K] | undefined {
  if (raw === undefined) return undefined;
  const item = STORED_ITEMS[key] as ValueItem<unknown> | MapItem<unknown>;
  if (item.shape === 'map') {
    const read = readMap(item, raw);
    if (!read) {
      console.warn(`Stalebuster: ignored malformed ${key}`);
      return {} as LocalSchema[K];
    }
    if (read.dropped.length > 0) console.warn(`Stalebuster: ignored malformed ${key} entries:`, read.dropped);
    return read.value as LocalSchema[K];
  }
  const value = readValue(item, raw);
  if (value === null) {
    console.warn(`Stalebuster: ignored malformed ${key}`);
    return undefined;
  }
  return value as LocalSchema[K];
}

/** A changed value as storage.onChanged hands it over, read through its item's check. */
export const readLocal = checked;

/** Extension-local values by name; everything per tab or per origin is a `records` store instead. */
export const local = {
  async get<K extends keyof LocalSchema & string>(key: K): Promise<LocalSchema[K] | undefined> {
    return checked(key, (await browser.storage.local.get(key))[key]);
  },
  /** Several values in one storage call (the popup reads everything it needs at once). */
  async getMany<K extends keyof LocalSchema & string>(keys: K[]): Promise<{ [P in K]: LocalSchema[P] | undefined }> {
    const got = await browser.storage.local.get(keys);
    return Object.fromEntries(keys.map((k) => [k, checked(k, got[k])])) as { [P in K]: LocalSchema[P] | undefined };
  },
  async set<K extends keyof LocalSchema & string>(key: K, value: LocalSchema[K]): Promise<void> {
    await browser.storage.local.set({ [key]: value });
  },
  remove: (key: keyof LocalSchema & string) => browser.storage.local.remove(key),
};

/** The user's own settings, as stored: what a change of theirs is applied to. */
async function readUserSettings(): Promise<LoadResult> {
  return loadSettings(await local.get('settings'));
}

/**
 * The settings in force: the user's, with the organisation's policy merged over
 * them (never written into them). Everything that acts reads these.
 */
export async function readSettings(): Promise<LoadResult> {
  const [user, { policy }] = await Promise.all([readUserSettings(), readPolicy()]);
  return { ...user, settings: effectiveSettings(user.settings, policy) };
}

export async function writeSettings(settings: Settings): Promise<void> {
  await local.set('settings', settings);
}

/**
 * A change the background makes to the settings (a recognised tool, a popup
 * switch), serialised with its other changes; `check` may refuse it (throw)
 * before anything is written.
 */
export function updateSettings(change: (current: Settings) => Settings, check?: (next: Settings) => Promise<void>): Promise<Settings> {
  return serialised('local:settings', async () => {
    const loaded = await readUserSettings();
    if (loaded.status === 'salvaged') return loaded.settings; // repaired elsewhere, after keeping the original aside
    const next = change(loaded.settings);
    if (next === loaded.settings) return next;
    await check?.(next);
    await writeSettings(next);
    return next;
  });
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every earlier task on the same key has finished. Browser
 * storage has no transactions, so two read-modify-writes of one key that
 * interleave lose one write (eight tabs cleared together kept one journal entry).
 * Every read-modify-write in this worker goes through here; the queue lives only
 * as long as the tasks it orders, which is all it has to.
 */
export function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  // `settled` never rejects, so neither does this.
  settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  }, () => undefined);
  return run;
}

/** Read-modify-write of one key, serialised with every other update of that key. */
export function updateLocal<K extends keyof LocalSchema & string>(
  key: K,
  fallback: LocalSchema[K],
  change: (current: LocalSchema[K]) => LocalSchema[K],
): Promise<LocalSchema[K]> {
  return serialised(`local:${key}`, async () => {
    const next = change((await local.get(key)) ?? fallback);
    await local.set(key, next);
    return next;
  });
}

/**
 * The store of a declared `records` item: one record per key (`prefix:id`), so
 * records of different tabs or origins never share a read-modify-write. Every
 * value is checked when read: a malformed entry is dropped with a logged
 * reason, never handed on.
 */
export function records<T>(item: RecordsItem<T>) {
  const { area, prefix } = item;
  const keyOf = (id: string | number) => `${prefix}:${id}`;
  const checked = (key: string, raw: unknown): T | undefined => {
    if (raw === undefined) return undefined;
    const value = readValue(item, raw);
    if (value === null) {
      console.warn(`Stalebuster: dropped a malformed ${prefix} record (${key})`);
      browser.storage[area].remove(key).catch((e: unknown) => console.warn(`Stalebuster: could not drop ${key}:`, e));
      return undefined;
    }
    return value;
  };
  return {
    async get(id: string | number): Promise<T | undefined> {
      const key = keyOf(id);
      return checked(key, (await browser.storage[area].get(key))[key]);
    },
    set: (id: string | number, value: T) => browser.storage[area].set({ [keyOf(id)]: value }),
    remove: (id: string | number) => browser.storage[area].remove(keyOf(id)),
    /** Read-modify-write of one record; `undefined` from `change` removes it. */
    update(id: string | number, change: (current: T | undefined) => T | undefined): Promise<T | undefined> {
      const key = keyOf(id);
      return serialised(`${area}:${key}`, async () => {
        const next = change(checked(key, (await browser.storage[area].get(key))[key]));
        if (next === undefined) await browser.storage[area].remove(key);
        else await browser.storage[area].set({ [key]: next });
        return next;
      });
    },
    async all(): Promise<Map<string, T>> {
      const everything = await browser.storage[area].get(null);
      const found = new Map<string, T>();
      for (const [key, raw] of Object.entries(everything)) {
        if (!key.startsWith(`${prefix}:`)) continue;
        const value = checked(key, raw);
        if (value !== undefined) found.set(key.slice(prefix.length + 1), value);
      }
      return found;
    },
  };
}

/** Follows changes of extension-local values, as stored (read them with readLocal); returns how to stop. */
export function onLocalChange(listener: (changed: Partial<Record<keyof LocalSchema, { newValue?: unknown; oldValue?: unknown }>>) => void): () => void {
  const wrapped = (changes: Record<string, unknown>) => listener(changes as Partial<Record<keyof LocalSchema, { newValue?: unknown; oldValue?: unknown }>>);
  browser.storage.local.onChanged.addListener(wrapped);
  return () => browser.storage.local.onChanged.removeListener(wrapped);
}

/** Forgets what Stalebuster stored about one site (its last clear report and version); its options stay. */
export async function forgetSite(origin: Origin): Promise<void> {
  // Versions of its apps under paths are kept under `origin/path/` (core/app-path siteKey).
  const without = <T>(map: Record<Origin, T>) => Object.fromEntries(Object.entries(map).filter(([o]) => o !== origin && !o.startsWith(`${origin}/`)));
  await updateLocal('reports', {}, without);
  await updateLocal('fingerprints', {}, without);
}

/**
 * Brings every stored item up to its declared version (core/stored-items), once
 * per worker start, before any event is handled (background/guarded waits for
 * it). Each value goes through its migrations on its own: one that cannot be
 * brought up is dropped and logged, the rest are kept. An item stored by a newer
 * build (a version above ours) is left as it is; reads check each value anyway.
 * Returns what it did, per item.
 */
export async function migrateStoredItems(registry: Readonly<Record<string, StoredItem>> = STORED_ITEMS): Promise<Record<string, { from: number; to: number; migrated: number; dropped: number }>> {
  const done: Record<string, { from: number; to: number; migrated: number; dropped: number }> = {};
  for (const area of ['local', 'session'] as const) {
    await serialised(`${area}:${VERSIONS_KEY}`, async () => {
      const raw: unknown = (await browser.storage[area].get(VERSIONS_KEY))[VERSIONS_KEY];
      const parsed = readVersions(raw);
      const versions: Record<string, number> = { ...(parsed ?? {}) };
      const declared = itemsIn(area, registry);
      const behind = declared.filter(([name, item]) => (versions[name] ?? 1) < item.version);
      const everything = behind.length > 0 ? await browser.storage[area].get(null) : {};
      for (const [name, item] of behind) {
        const from = versions[name] ?? 1;
        const result = await migrateItem(area, item, everything, from);
        done[name] = { from, to: item.version, ...result };
        if (result.dropped > 0) console.warn(`Stalebuster: dropped ${result.dropped} stored ${name} that could not be brought from version ${from} to ${item.version}`);
      }
      const next = { ...versions, ...Object.fromEntries(declared.map(([name, item]) => [name, Math.max(versions[name] ?? 1, item.version)])) };
      const unchanged = parsed ? JSON.stringify(next) === JSON.stringify(parsed) : raw === undefined && Object.keys(next).length === 0;
      if (!unchanged) await browser.storage[area].set({ [VERSIONS_KEY]: next });
    });
  }
  return done;
}

async function migrateItem(area: Area, item: StoredItem, everything: Record<string, unknown>, from: number): Promise<{ migrated: number; dropped: number }> {
  let migrated = 0;
  let dropped = 0;
  const bring = (raw: unknown): { value: unknown } | null => {
    const next = migrateValue(item, raw, from);
    if (next) migrated++;
    else dropped++;
    return next;
  };
  if (item.shape === 'records') {
    const writes: Record<string, unknown> = {};
    const removals: string[] = [];
    for (const [key, raw] of Object.entries(everything)) {
      if (!key.startsWith(`${item.prefix}:`)) continue;
      const next = bring(raw);
      if (next) writes[key] = next.value;
      else removals.push(key);
    }
    if (Object.keys(writes).length > 0) await browser.storage[area].set(writes);
    if (removals.length > 0) await browser.storage[area].remove(removals);
  } else {
    const raw = everything[item.key];
    if (raw === undefined) return { migrated, dropped };
    if (item.shape === 'map') {
      // Entry by entry, as a read takes it (not a map at all: stored empty, as it reads).
      const read = readMap(item, raw, from);
      migrated += Object.keys(read?.value ?? {}).length;
      dropped += read?.dropped.length ?? 0;
      await browser.storage[area].set({ [item.key]: read?.value ?? {} });
    } else {
      const next = bring(raw);
      if (next) await browser.storage[area].set({ [item.key]: next.value });
      else await browser.storage[area].remove(item.key);
    }
  }
  return { migrated, dropped };
}
