/**
 * Everything Stalebuster keeps in extension storage, declared once: where it
 * lives, its key, its shape (a valibot schema, from which its type is derived),
 * its version with the numbered migrations that bring older values up to it,
 * and how long it is kept and how large it may grow. In the spirit of WXT's
 * `defineItem` and Bitwarden's numbered migrations, each with its own test.
 *
 * platform/storage.ts reads and writes only these (lint keeps every other
 * module away from browser.storage); it checks every value against its schema
 * when read, and runs the migrations once per worker start (migrateStoredItems).
 *
 * A stored value carries no version of its own: the version of each item, per
 * storage area, is kept under VERSIONS_KEY. Values stored before items had
 * versions (0.3 and earlier) are version 1.
 */
import * as v from 'valibot';
import type { Guard } from './auto-guard';
import type { ClearReport } from './clear-report';
import type { Fingerprint } from './fingerprint';
import {
  AsideSchema, ClearReportSchema, FingerprintSchema, GuardSchema, JournalEntrySchema, PauseEntrySchema, PendingGrantSchema,
  RecognitionSchema, RulesStatusSchema, ServerCheckSchema, SnapshotMetaSchema, TabFramesSchema, TabRecordSchema,
  UndoNoticeSchema, VolatilePathsSchema,
} from './records';
import type { SnapshotMeta } from './undo-policy';

export type Area = 'local' | 'session';

/**
 * `migrations[n]` turns a value of version n - 1 into version n. It may throw:
 * that value is dropped, the others kept. It must leave a value already of
 * version n as it is: a damaged version record counts every item as version 1,
 * and runs every migration again.
 */
type Migrations = Readonly<Record<number, (old: unknown) => unknown>>;

interface ItemBase<T> {
  area: Area;
  /**
   * What is read is the schema's output, and it must be assignable to the declared type: a field the type
   * requires cannot be missing from the schema. (A field only the type has is dropped when read: the
   * backup's step timings of a clear report live only in the live report.)
   */
  schema: v.GenericSchema<unknown, T>;
  version: number;
  migrations: Migrations;
  /** How long it is kept, and what bounds its size (storage.session holds 10 MB for everything). */
  retention: string;
}
/** One value under one key. */
export interface ValueItem<T> extends ItemBase<T> { shape: 'value'; key: string }
/** A map under one key, each entry checked (and migrated) on its own: a bad entry costs that entry. */
export interface MapItem<T> extends ItemBase<T> { shape: 'map'; key: string }
/** One record per key (`prefix:id`), so records of different tabs or sites never share a read-modify-write. */
export interface RecordsItem<T> extends ItemBase<T> { shape: 'records'; prefix: string }
export type StoredItem<T = unknown> = ValueItem<T> | MapItem<T> | RecordsItem<T>;

type Options = Partial<Pick<ItemBase<unknown>, 'version' | 'migrations'>> & { retention: string };

/** What every item declares: version 1 and no migrations unless said. */
function base<T>(area: Area, schema: v.GenericSchema<unknown, T>, o: Options): ItemBase<T> {
  return { area, schema, version: o.version ?? 1, migrations: o.migrations ?? {}, retention: o.retention };
}
function value<T>(area: Area, key: string, schema: v.GenericSchema<unknown, T>, o: Options): ValueItem<T> {
  return { shape: 'value', key, ...base(area, schema, o) };
}
function map<T>(area: Area, key: string, schema: v.GenericSchema<unknown, T>, o: Options): MapItem<T> {
  return { shape: 'map', key, ...base(area, schema, o) };
}
function records<T>(area: Area, prefix: string, schema: v.GenericSchema<unknown, T>, o: Options): RecordsItem<T> {
  return { shape: 'records', prefix, ...base(area, schema, o) };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Clear reports of version 2 always say whether a backup was taken. 0.1.0 wrote
 * reports without the three backup fields (it took none): they read as "no backup".
 */
export function reportsV2(old: unknown): unknown {
  if (!isObject(old)) throw new Error('not a report');
  return { keptSiteDataBecause: null, backupDetail: null, undo: null, ...old };
}

/** The per-area record of each item's version (platform/storage migrateStoredItems). */
export const VERSIONS_KEY = 'storedVersions';
const VersionSchema = v.pipe(v.number(), v.integer(), v.minValue(1));
/**
 * The stored versions of one area's items, read entry by entry: a damaged entry
 * counts as version 1 (its migrations run again, leaving current values as
 * they are), and never costs another item its version. null when absent or
 * not a record at all.
 */
export function readVersions(raw: unknown): Record<string, number> | null {
  if (!isObject(raw)) return null;
  const versions: Record<string, number> = {};
  for (const [name, version] of Object.entries(raw)) if (name !== '__proto__' && v.is(VersionSchema, version)) versions[name] = version;
  return versions;
}

export const STORED_ITEMS = {
  /** The user's settings: versioned inside the value, with their own numbered migrations (core/settings.ts). */
  settings: value<unknown>('local', 'settings', v.unknown(), { retention: 'for good; its size is bounded by its schema (core/settings.ts)' }),
  settingsAside: value('local', 'settingsAside', AsideSchema, {
    retention: 'until restored or deleted from the settings page; a copy too large to keep is stored as null',
  }),
  rulesStatus: value('local', 'rulesStatus', RulesStatusSchema, { retention: 'replaced at each rules sync' }),
  reports: map<ClearReport>('local', 'reports', ClearReportSchema, {
    version: 2,
    migrations: { 2: reportsV2 },
    retention: 'the last clear of each site, at most 50 sites (core/clear-report withReport); forgotten with the site',
  }),
  fingerprints: map<Fingerprint & { checkedAt: number }>('local', 'fingerprints', FingerprintSchema, {
    retention: 'the last version of each site or app, at most 200, the most recently checked (background/version-check)',
  }),
  snapshots: map<SnapshotMeta>('local', 'snapshots', SnapshotMetaSchema, {
    retention: "Undo's backup index: 24 hours, 3 per site, within the size cap (core/undo-policy retain)",
  }),
  guard: records<Guard>('local', 'guard', GuardSchema, {
    retention: 'automatic actions of one site, at most 100; dropped once it has no action left in its window and no pause (background/auto-guard pruneGuards); a pause the user must lift keeps it until lifted',
  }),
  tab: records('session', 'tab', TabRecordSchema, {
    retention: 'one per tab, until it closes or a page it loads next reports as unprotected (a tab gone on to a page without the content script keeps it until it closes); at most 3,000 addresses (core/staleness MAX_REPORTED_ASSETS)',
  }),
  frames: records('session', 'frames', TabFramesSchema, {
    retention: 'one per tab with judged frames, at most 32 frames, until the tab closes',
  }),
  check: records('session', 'check', ServerCheckSchema, {
    retention: 'one per asked URL; dropped 10 minutes after its last use unless an open tab needs it (background/server-checks)',
  }),
  volatile: records('session', 'volatile', VolatilePathsSchema, {
    retention: 'per origin, at most 200 paths, for the browser session',
  }),
  recognised: records('session', 'recognised', RecognitionSchema, {
    retention: 'one per origin asked, for the browser session (at most one request per origin per session)',
  }),
  pendingGrant: records('session', 'pendingGrant', PendingGrantSchema, {
    retention: 'one per origin whose "Protect it" waits for the browser\'s grant: until the grant, a cancel from the popup, or the end of the browser session (a Deny in Chromium reaches nobody; background/pending-grants)',
  }),
  clear: records('session', 'clear', JournalEntrySchema, {
    retention: 'one per tab with a clear under way or cooling down, until finished or the tab closes',
  }),
  pause: records('session', 'pause', PauseEntrySchema, {
    retention: "one per Undo's or backup's script pause, lifted when it ends or by the next worker's start",
  }),
  undoNotice: records('session', 'undo-notice', UndoNoticeSchema, {
    retention: 'one per clear notification with an Undo button, until the button is clicked, the next notice of its tab replaces it, or its tab closes',
  }),
} as const;

export type StoredItems = typeof STORED_ITEMS;
/** The value an item holds, as read: its schema's output (a map item: the whole map). */
export type ItemValue<I> = I extends MapItem<infer T> ? Record<string, T> : I extends StoredItem<infer T> ? T : never;

/**
 * Brings one stored value from version `from` up to the item's version, and
 * checks it. null: it cannot be read as the current version (a migration
 * threw, or the result does not fit the schema): the caller drops it.
 */
export function migrateValue<T>(item: StoredItem<T>, raw: unknown, from: number): { value: T } | null {
  let current = raw;
  try {
    for (let n = from + 1; n <= item.version; n++) {
      const step = item.migrations[n];
      if (step) current = step(current);
    }
  } catch {
    return null;
  }
  const parsed = v.safeParse(item.schema, current);
  return parsed.success ? { value: parsed.output } : null;
}

/**
 * Reads one stored value as the current version: null if it does not fit. It
 * goes through every migration first, which leaves a current value as it is
 * (their contract): so a value is read right even before the worker's start has
 * stored it upgraded, by a page that reads storage itself, or after a start
 * that failed.
 */
export function readValue<T>(item: StoredItem<T>, raw: unknown): T | null {
  return migrateValue(item, raw, 1)?.value ?? null;
}

/**
 * A stored map read entry by entry, each brought up from version `from` (a read: from 1, see readValue):
 * null if it is not a map at all, else what fits and the keys of what did not.
 */
export function readMap<T>(item: MapItem<T>, raw: unknown, from = 1): { value: Record<string, T>; dropped: string[] } | null {
  if (!isObject(raw)) return null;
  const value: Record<string, T> = {};
  const dropped: string[] = [];
  for (const [key, entry] of Object.entries(raw)) {
    // The parsed output, not the entry: unknown keys stripped, defaults filled in.
    const read = migrateValue(item, entry, from)?.value ?? null;
    // No site or backup is named `__proto__`; assigning it would set the map's prototype, not an entry.
    if (read === null || key === '__proto__') dropped.push(key);
    else value[key] = read;
  }
  return { value, dropped };
}

/** The declared items of one area, by name (the migration at start walks these). */
export function itemsIn(area: Area, registry: Readonly<Record<string, StoredItem>> = STORED_ITEMS): [string, StoredItem][] {
  return Object.entries(registry).filter(([, item]) => item.area === area);
}
