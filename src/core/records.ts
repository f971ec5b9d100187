/**
 * Shapes of what the background keeps in storage between events, each checked
 * when read: storage outlives the code that wrote it (an older or newer build,
 * a hand edit), and one malformed entry must cost that entry, not a crash.
 */
import { isAppPath } from './app-path';
import * as v from 'valibot';
import { APP_NAMES, type AppKind } from './fingerprint';
import { MAX_ASKED_CODE_FILES, MAX_REPORTED_ASSETS, MAX_SIZED_CODE_FILES, NAVIGATIONS, UNKNOWN_REASONS } from './staleness';

const REASONS = UNKNOWN_REASONS;
const Url = v.pipe(v.string(), v.maxLength(4096));
const Short = v.pipe(v.string(), v.maxLength(80));
const Size = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

const LoadedSizesSchema = v.object({
  document: v.nullable(Size),
  code: v.pipe(v.array(v.tuple([Url, Size])), v.maxLength(MAX_SIZED_CODE_FILES)),
});

const VerdictSchema = v.variant('state', [
  v.object({ state: v.literal('fresh') }),
  v.object({ state: v.literal('stale'), missing: v.number(), from: v.nullable(Short), to: v.nullable(Short) }),
  v.object({ state: v.literal('unknown'), reason: v.picklist(REASONS) }),
]);

/** A tool's kind as stored: only the kinds this build knows (a value from elsewhere would index nothing). */
const AppKindSchema = v.picklist(Object.keys(APP_NAMES) as AppKind[]);

const ServerViewSchema = v.variant('ok', [
  v.object({
    ok: v.literal(true), assets: v.pipe(v.array(Url), v.maxLength(MAX_REPORTED_ASSETS)), app: v.nullable(AppKindSchema), version: v.nullable(Short),
    // Absent in checks stored by 0.2.x: not known, so never compared.
    bytes: v.optional(v.nullable(Size), null),
    codeBytes: v.optional(v.pipe(v.array(v.tuple([Url, Size])), v.maxLength(MAX_ASKED_CODE_FILES)), []),
  }),
  v.object({ ok: v.literal(false), reason: v.picklist(REASONS) }),
]);

/** What the detector knows about the document in one tab. Each stored shape is declared once, as its schema; its type is the schema's output. */
export const TabRecordSchema = v.object({
  origin: Url,
  /** The document's URL without its fragment: what the server is asked about. */
  url: Url,
  assets: v.pipe(v.array(Url), v.maxLength(MAX_REPORTED_ASSETS)),
  version: v.nullable(Short),
  navigation: v.picklist(NAVIGATIONS),
  /** The document's own id (see PageReport.docId): actions for this record go to that document only. */
  docId: v.pipe(v.string(), v.maxLength(64)),
  /** When the document started loading. */
  loadedAt: v.number(),
  reportedAt: v.number(),
  verdict: v.nullable(VerdictSchema),
  /** The server view (viewId) the verdict was reached against. */
  judgedAgainst: v.nullable(v.string()),
  /** What the document loaded, by size (see core/staleness judgeBySize); absent in records of 0.2.x. */
  sizes: v.optional(LoadedSizesSchema, { document: null, code: [] }),
});
export type TabRecord = v.InferOutput<typeof TabRecordSchema>;

/** What the detector knows about the document in one frame of a tab (an embedded app): judged and shown, never acted on. */
const FrameRecordSchema = v.object({
  ...TabRecordSchema.entries,
  /** The tool, as the frame's markers or the server's answer name it. */
  app: v.optional(v.nullable(Short), null),
});
export type FrameRecord = v.InferOutput<typeof FrameRecordSchema>;
/** The frames of one tab that the detector judged, by frame id (Firefox's are 11 digits and more): at most this many (the latest kept). */
export const MAX_FRAMES_PER_TAB = 32;
export const TabFramesSchema = v.pipe(
  v.record(v.pipe(v.string(), v.regex(/^\d{1,20}$/)), FrameRecordSchema),
  v.check((frames) => Object.keys(frames).length <= MAX_FRAMES_PER_TAB),
);

/**
 * The last server check of one URL: its time, its answer, and a trailing check
 * due. `confirmed`: the viewId a second answer of the server agreed with (a stale
 * verdict needs that before anything is shown or done).
 */
export const ServerCheckSchema = v.object({
  at: v.number(), view: ServerViewSchema, trailingAt: v.nullable(v.number()), confirmed: v.optional(v.nullable(v.string()), null),
});

/** Paths (origin + pathname) whose query the server changes on every answer: per-request tokens. Per origin, bounded. */
export const MAX_VOLATILE_PATHS = 200;
export const VolatilePathsSchema = v.pipe(v.array(Url), v.maxLength(MAX_VOLATILE_PATHS));

const AutoActionSchema = v.object({
  kind: v.picklist(['reload', 'clear']),
  url: Url,
  viewId: v.pipe(v.string(), v.maxLength(100)),
  at: v.number(),
  outcome: v.picklist(['done', 'failed']),
  doneAt: v.optional(v.number()),
  removedData: v.optional(v.boolean()),
});
export const GuardSchema = v.object({
  actions: v.pipe(v.array(AutoActionSchema), v.maxLength(100)),
  paused: v.nullable(v.object({
    at: v.number(),
    reason: v.picklist(['ceiling', 'still-old', 'failed']),
    views: v.pipe(v.record(Url, v.pipe(v.string(), v.maxLength(100))), v.check((views) => Object.keys(views).length <= 50)),
    sticky: v.optional(v.boolean()),
  })),
  pauses: v.optional(v.pipe(v.array(v.number()), v.maxLength(10))),
});

/** A recognition attempt: at most one request per origin per browser session. */
export const RecognitionSchema = v.object({ at: v.number(), app: v.nullable(v.string()) });

/** A "Protect it" click waiting for the browser's answer to its permission prompt (background/pending-grants). */
export const PendingGrantSchema = v.object({ origin: v.pipe(v.string(), v.maxLength(4096)), at: v.number() });

/**
 * A clear in one tab: under way (a restarted worker finishes it), then, once it
 * has reloaded the tab, its cool-down (see background/clear-and-reload).
 */
export const JournalEntrySchema = v.object({
  origin: Url,
  trigger: v.picklist(['popup', 'shortcut', 'menu', 'notice', 'auto']),
  startedAt: v.number(),
  /** When the clear reloaded the tab; null while it runs. */
  finishedAt: v.optional(v.nullable(v.number()), null),
  /** The one "already clearing" notice of this clear has been shown. */
  noticed: v.optional(v.boolean(), false),
  /** The user's answer for this one clear (without Undo, keep site data): a resumed clear honours it. */
  choice: v.optional(v.object({ withoutUndo: v.optional(v.boolean()), keepSiteData: v.optional(v.boolean()) })),
  /** The app under a path the clear began in (null: the whole origin or its rest): a resumed clear needs the same. */
  appPath: v.optional(v.nullable(v.pipe(v.string(), v.check(isAppPath, 'not an app path')))),
});
export type JournalEntry = v.InferOutput<typeof JournalEntrySchema>;

/** An Undo's script pause, written before the pause starts: a worker that dies mid-Undo leaves it for the next one to lift. */
export const PauseEntrySchema = v.object({
  origin: Url,
  tabIds: v.pipe(v.array(v.pipe(v.number(), v.integer())), v.maxLength(1000)),
  at: v.number(),
});

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Bytes = v.nullable(v.pipe(v.number(), v.minValue(0)));

export const ClearReportSchema = v.object({
  origin: Url,
  at: v.number(),
  trigger: v.picklist(['popup', 'shortcut', 'menu', 'notice', 'auto']),
  pageStep: v.picklist(['done', 'unavailable']),
  keptSiteData: v.boolean(),
  // Reports written by 0.1.0 had no backup fields: stored item `reports`, migration 2, reads them as "no backup".
  keptSiteDataBecause: v.nullable(v.picklist(['over-cap', 'backup-failed'])),
  backupDetail: v.nullable(v.string()),
  undo: v.nullable(v.object({ id: v.string(), until: v.number(), bytes: Count, takenAt: v.optional(v.number()) })),
  cookies: v.boolean(),
  phases: v.optional(v.object({ backup: v.number(), page: v.number(), browser: v.number() })),
  failure: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(500))), null),
  serviceWorkers: Count,
  caches: v.array(v.string()),
  indexedDB: v.array(v.object({ name: v.string(), outcome: v.picklist(['deleted', 'blocked', 'error']) })),
  localStorageItems: Count,
  sessionStorageItems: Count,
  bytesBefore: Bytes,
  bytesAfter: Bytes,
  failedSteps: v.optional(v.pipe(v.array(v.object({
    step: v.picklist(['serviceWorkers', 'cacheStorage', 'indexedDB', 'localStorage', 'sessionStorage']),
    error: v.pipe(v.string(), v.maxLength(200)),
  })), v.maxLength(5))),
  scoped: v.optional(v.object({
    path: v.nullable(v.pipe(v.string(), v.check(isAppPath, 'not an app path'))),
    cacheEntries: Count,
    otherWorkers: Count,
    otherCaches: Count,
  })),
});

export const FingerprintSchema = v.object({
  id: v.string(),
  app: v.nullable(AppKindSchema),
  version: v.nullable(Short),
  assetCount: Count,
  checkedAt: v.number(),
});

export const AsideSchema = v.object({
  raw: v.unknown(),
  kind: v.picklist(['newer', 'damaged']),
  issue: v.string(),
  at: v.number(),
  dismissed: v.boolean(),
});

export const RulesStatusSchema = v.variant('ok', [
  v.object({ ok: v.literal(true), at: v.number(), rules: Count }),
  v.object({ ok: v.literal(false), at: v.number(), error: v.string() }),
]);

export type RulesStatus = v.InferOutput<typeof RulesStatusSchema>;
export type SettingsAside = v.InferOutput<typeof AsideSchema>;

export const SnapshotMetaSchema = v.object({
  id: v.string(),
  origin: Url,
  takenAt: v.number(),
  expiresAt: v.number(),
  bytes: Count,
  localStorageItems: Count,
  databases: Count,
  records: Count,
  parts: Count,
  format: v.number(),
  restoredAt: v.nullable(v.number()),
  pinned: v.optional(v.boolean(), false),
  partition: v.optional(v.pipe(v.string(), v.maxLength(200))),
});

/** A clear notification with an Undo button: the backup it restores, and the tab it was for. */
export const UndoNoticeSchema = v.object({ snapshotId: v.string(), tabId: v.number() });
