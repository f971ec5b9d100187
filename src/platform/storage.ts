import type { ClearReport } from '../core/clear-report';
import type { Fingerprint } from '../core/fingerprint';
import type { Origin } from '../core/origin';
import { parseAside, parseFingerprints, parseReports, parseRulesStatus, parseSnapshots, type RulesStatus } from '../core/records';
import type { SnapshotMeta } from '../core/undo-policy';
import { effectiveSettings } from '../core/managed';
import { loadSettings, type LoadResult, type Settings } from '../core/settings';
import { browser } from './browser';
import { readPolicy } from './managed';

/**
 * All persistent state, by key. The background service worker can be stopped at
 * any moment, so nothing that must outlive one event lives in a module variable.
 */
export interface LocalSchema {
  settings: unknown;
  /** Stored settings that could not be read as they were, kept before anything overwrote them. */
  settingsAside: SettingsAside | undefined;
  reports: Record<Origin, ClearReport>;
  fingerprints: Record<Origin, StoredFingerprint>;
  /** Whether the browser accepted the rules built from the current settings. */
  rulesStatus: RulesStatus | undefined;
  /** Undo's backups, by id: the index (their content is in the extension's IndexedDB, see undo-store). */
  snapshots: Record<string, SnapshotMeta>;
}
export type { RulesStatus };

export interface SettingsAside {
  /** The stored value as it was; null when it was too large to keep. */
  raw: unknown;
  kind: 'newer' | 'damaged';
  issue: string;
  at: number;
  /** The user has seen the notice (the copy stays until restored or deleted). */
  dismissed: boolean;
}

export interface StoredFingerprint extends Fingerprint {
  checkedAt: number;
}

type Area = 'local' | 'session';

/**
 * Every value is checked when read: storage outlives the code that wrote it. A
 * malformed map entry is dropped (and logged), a malformed value reads as absent;
 * neither ever reaches the UI. Settings have their own reader (loadSettings).
 */
const CHECKS: { [K in keyof LocalSchema]: (raw: unknown) => LocalSchema[K] } = {
  settings: (raw) => raw,
  settingsAside: (raw) => parseAside(raw) ?? undefined,
  rulesStatus: (raw) => parseRulesStatus(raw) ?? undefined,
  reports: (raw) => mapChecked('reports', parseReports(raw)),
  fingerprints: (raw) => mapChecked('fingerprints', parseFingerprints(raw)),
  snapshots: (raw) => mapChecked('snapshots', parseSnapshots(raw)),
};

function mapChecked<T>(key: string, parsed: { value: Record<string, T>; dropped: string[] } | null): Record<string, T> {
  if (!parsed) {
    console.warn(`Stalebuster: ignored malformed ${key}`);
    return {};
  }
  if (parsed.dropped.length > 0) console.warn(`Stalebuster: ignored malformed ${key} entries:`, parsed.dropped);
  return parsed.value;
}

function checked<K extends keyof LocalSchema>(key: K, raw: unknown): LocalSchema[K] | undefined {
  if (raw === undefined) return undefined;
  const value = CHECKS[key](raw);
  if (value === undefined) console.warn(`Stalebuster: ignored malformed ${key}`);
  return value;
}

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

/** Follows changes of extension-local values; returns how to stop. */
export function onLocalChange(listener: (changed: Partial<Record<keyof LocalSchema, { newValue?: unknown }>>) => void): () => void {
  const wrapped = (changes: Record<string, unknown>) => listener(changes as Partial<Record<keyof LocalSchema, { newValue?: unknown }>>);
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
