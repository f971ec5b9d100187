/**
 * Shapes of what the background keeps in storage between events, each checked
 * when read: storage outlives the code that wrote it (an older or newer build,
 * a hand edit), and one malformed entry must cost that entry, not a crash.
 */
import * as v from 'valibot';
import { NAVIGATIONS, type Navigation, type ServerView, type Verdict } from './staleness';

const REASONS = ['unreachable', 'not-html', 'redirect', 'http-error', 'no-code-urls', 'unversioned', 'no-permission'] as const;
const Url = v.pipe(v.string(), v.maxLength(4096));
const Short = v.pipe(v.string(), v.maxLength(80));

const VerdictSchema = v.variant('state', [
  v.object({ state: v.literal('fresh') }),
  v.object({ state: v.literal('stale'), missing: v.number(), from: v.nullable(Short), to: v.nullable(Short) }),
  v.object({ state: v.literal('unknown'), reason: v.picklist(REASONS) }),
]);

const ServerViewSchema = v.variant('ok', [
  v.object({ ok: v.literal(true), assets: v.array(Url), app: v.nullable(v.string()), version: v.nullable(Short) }),
  v.object({ ok: v.literal(false), reason: v.picklist(REASONS) }),
]);

/** What the detector knows about the document in one tab. */
export interface TabRecord {
  origin: string;
  /** The document's URL without its fragment: what the server is asked about. */
  url: string;
  assets: string[];
  version: string | null;
  navigation: Navigation;
  reportedAt: number;
  verdict: Verdict | null;
  /** The server view (viewId) the verdict was reached against. */
  judgedAgainst: string | null;
  /** The server view a history return was reloaded for: at most one reload per upgrade. */
  historyReloadFor: string | null;
}

const TabRecordSchema = v.object({
  origin: Url,
  url: Url,
  assets: v.array(Url),
  version: v.nullable(Short),
  navigation: v.picklist(NAVIGATIONS),
  reportedAt: v.number(),
  verdict: v.nullable(VerdictSchema),
  judgedAgainst: v.nullable(v.string()),
  historyReloadFor: v.nullable(v.string()),
});

/** The last server check of one URL: its time, its answer, and a trailing check due. */
export interface ServerCheck {
  at: number;
  view: ServerView;
  trailingAt: number | null;
}

const ServerCheckSchema = v.object({ at: v.number(), view: ServerViewSchema, trailingAt: v.nullable(v.number()) });

/** One upgrade acted on per origin: the server view auto-clear fixed the origin for. */
export interface FixRecord {
  viewId: string;
  at: number;
}
const FixRecordSchema = v.object({ viewId: v.string(), at: v.number() });

/** A recognition attempt: at most one request per origin per browser session. */
export interface Recognition {
  at: number;
  app: string | null;
}
const RecognitionSchema = v.object({ at: v.number(), app: v.nullable(v.string()) });

function parser<T>(schema: v.GenericSchema): (raw: unknown) => T | null {
  return (raw) => {
    const r = v.safeParse(schema, raw);
    return r.success ? (r.output as T) : null;
  };
}

export const parseTabRecord = parser<TabRecord>(TabRecordSchema);
export const parseServerCheck = parser<ServerCheck>(ServerCheckSchema);
export const parseFixRecord = parser<FixRecord>(FixRecordSchema);
export const parseRecognition = parser<Recognition>(RecognitionSchema);

/** A clear under way in one tab: a restarted worker finishes it (see background/clear-and-reload). */
export interface JournalEntry {
  origin: string;
  trigger: 'popup' | 'shortcut' | 'menu' | 'auto';
  startedAt: number;
}
const JournalEntrySchema = v.object({ origin: Url, trigger: v.picklist(['popup', 'shortcut', 'menu', 'auto']), startedAt: v.number() });
export const parseJournalEntry = parser<JournalEntry>(JournalEntrySchema);
