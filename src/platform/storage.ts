import type { ClearReport } from '../core/clear-report';
import type { Fingerprint } from '../core/fingerprint';
import type { Origin } from '../core/origin';
import { loadSettings, type LoadResult, type Settings } from '../core/settings';
import { browser } from './browser';

/**
 * All persistent state, by key. The background service worker can be stopped at
 * any moment, so nothing that must outlive one event lives in a module variable.
 */
export interface LocalSchema {
  settings: unknown;
  settingsNotice: { issue: string; at: number } | undefined;
  reports: Record<Origin, ClearReport>;
  fingerprints: Record<Origin, StoredFingerprint>;
}

export interface StoredFingerprint extends Fingerprint {
  checkedAt: number;
}

type Area = 'local' | 'session';

/** Extension-local values by name; everything per tab or per origin is a `records` store instead. */
export const local = {
  async get<K extends keyof LocalSchema & string>(key: K): Promise<LocalSchema[K] | undefined> {
    return (await browser.storage.local.get(key))[key] as LocalSchema[K] | undefined;
  },
  async set<K extends keyof LocalSchema & string>(key: K, value: LocalSchema[K]): Promise<void> {
    await browser.storage.local.set({ [key]: value });
  },
  remove: (key: keyof LocalSchema & string) => browser.storage.local.remove(key),
};

export async function readSettings(): Promise<LoadResult> {
  return loadSettings(await local.get('settings'));
}

export async function writeSettings(settings: Settings): Promise<void> {
  await local.set('settings', settings);
}

/** A change the background makes to the settings (a recognised tool), serialised with its other changes. */
export function updateSettings(change: (current: Settings) => Settings): Promise<Settings> {
  return serialised('local:settings', async () => {
    const loaded = await readSettings();
    if (loaded.status === 'corrupt') return loaded.settings; // repaired elsewhere; never build on a fallback
    const next = change(loaded.settings);
    if (next !== loaded.settings) await writeSettings(next);
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
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
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
 * Records stored one per key (`prefix:id`), so records of different tabs or
 * origins never share a read-modify-write. Every value is checked when read: a
 * malformed entry is dropped with a logged reason, never handed on.
 */
export function records<T>(area: Area, prefix: string, parse: (raw: unknown) => T | null) {
  const keyOf = (id: string | number) => `${prefix}:${id}`;
  const checked = (key: string, raw: unknown): T | undefined => {
    if (raw === undefined) return undefined;
    const value = parse(raw);
    if (value === null) {
      console.warn(`Stalebuster: dropped a malformed ${prefix} record (${key})`);
      void browser.storage[area].remove(key);
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

export function onLocalChange(listener: (changed: Partial<Record<keyof LocalSchema, { newValue?: unknown }>>) => void): void {
  browser.storage.local.onChanged.addListener((changes) => listener(changes as Partial<Record<keyof LocalSchema, { newValue?: unknown }>>));
}
