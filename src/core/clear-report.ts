import { siteKey } from './app-path';
import type { Origin, RestrictedReason } from './origin';

/** `notice`: the Clear & reload button of the in-page notice in a window without a toolbar. */
export type ClearTrigger = 'popup' | 'shortcut' | 'menu' | 'notice' | 'auto';

/** What the page-side step found and removed in the page's own origin. */
export interface PageClearResult {
  serviceWorkers: number;
  caches: string[];
  indexedDB: { name: string; outcome: 'deleted' | 'blocked' | 'error' }[];
  localStorageItems: number;
  sessionStorageItems: number;
  bytesBefore: number | null;
  /** After the page-side deletions (the HTTP cache is not part of this estimate in any browser). */
  bytesAfter?: number | null;
  /** Steps that threw in the page, by name, with the error as text; the other steps still ran. */
  failedSteps?: { step: PageStep; error: string }[];
  /** An app under a path was cleared (core/app-path): what of it went, and what other apps of the origin kept. */
  scoped?: ScopedClear;
}

interface ScopedClear {
  /** The app's path; null: the rest of the origin, outside every declared app. */
  path: string | null;
  /** Cache Storage entries under the path that were deleted. */
  cacheEntries: number;
  /** Service workers of the origin outside the path: kept. */
  otherWorkers: number;
  /** Caches that hold entries outside the path: kept (without the app's entries). */
  otherCaches: number;
}

export type PageStep = 'serviceWorkers' | 'cacheStorage' | 'indexedDB' | 'localStorage' | 'sessionStorage';

/** What Undo can put back after this clear, and until when. */
export interface UndoInfo {
  id: string;
  until: number;
  bytes: number;
  /** When the backup was taken: which clear an Undo reverses. */
  takenAt?: number;
}

/**
 * Where a backup's time went (ms; npm run bench): the page reading and encoding
 * its data; sending it (the background stores as it arrives) and the rest of
 * the storing; then the two fingerprints, side by side: the page's of its own
 * objects (from 'sent' to 'end'), the background's of what it stored.
 */
export interface BackupSteps {
  read: number;
  send: number;
  store: number;
  pageFingerprint: number;
  storedFingerprint: number;
}

export interface ClearReport extends PageClearResult {
  origin: Origin;
  at: number;
  trigger: ClearTrigger;
  /** The page could not be scripted (an error page, say); the browser-level clear still ran. */
  pageStep: 'done' | 'unavailable';
  keptSiteData: boolean;
  /**
   * Site data was to be removed but was kept: it is larger than the backup cap
   * (a shortcut or menu clear never removes what it cannot undo), or the backup
   * failed. `backupDetail` says how large, or why.
   */
  keptSiteDataBecause: 'over-cap' | 'backup-failed' | null;
  backupDetail: string | null;
  undo: UndoInfo | null;
  cookies: boolean;
  bytesAfter: number | null;
  /** How long each phase took (ms), up to the reload: where a slow clear spends its time. */
  phases?: { backup: number; page: number; browser: number; pause?: number; backupSteps?: BackupSteps };
  /** An automatic clear that did not complete: which step failed and how (shown in the popup). */
  failure?: string | null;
}

type ClearFailure =
  | { ok: false; error: 'restricted'; reason: RestrictedReason }
  | { ok: false; error: 'tab-closed' }
  | { ok: false; error: 'busy' }
  /** The site's data is over the backup cap: the popup asks before clearing it without Undo. Nothing was touched. */
  | { ok: false; error: 'needs-confirmation'; bytes: number; capBytes: number }
  | { ok: false; error: 'failed'; detail: string };

/** A popup clear's answer to that question, for this one clear. */
export interface ClearChoice {
  withoutUndo?: boolean;
  keepSiteData?: boolean;
}

export type ClearResult = { ok: true; report: ClearReport } | ClearFailure;

/** Which stores to clear for an origin, from its options; the browser-specific scoping lives in platform. */
export interface ClearPlan {
  httpCache: true;
  cacheStorage: true;
  serviceWorkers: true;
  siteData: boolean;
  cookies: boolean;
  /**
   * An origin whose apps live under paths (core/app-path): only what lies under
   * `path` (null: the rest of the origin) and under none of `keep` (the other
   * declared apps within it), i.e. service workers by scope and Cache Storage
   * entries by URL. The origin's HTTP cache is not cleared (no browser clears it
   * by path; the hard reload fetches the app's files afresh). Absent: the whole origin.
   */
  scope?: ClearScope;
}

export interface ClearScope {
  path: string | null;
  keep: string[];
}

/**
 * `scope`: the tab's origin has apps under paths. Site data (localStorage,
 * IndexedDB) and cookies are the whole origin's (cookies the host's), shared
 * with the other apps there: kept unless the user asked for them (`clearShared`).
 */
export function planClear(
  opts: { keepSiteData: boolean; includeCookies: boolean; autoClearSiteData: boolean; clearShared?: boolean },
  trigger: ClearTrigger,
  scope: ClearScope | null = null,
): ClearPlan {
  const shared = scope === null || opts.clearShared === true;
  const keep = opts.keepSiteData || !shared;
  // Auto-clear only removes what holds stale code unless the user asked for more:
  // an unattended wipe of ComfyUI workflows or llama.cpp chats is never a fix.
  const siteData = trigger === 'auto' ? opts.autoClearSiteData && !keep : !keep;
  return { httpCache: true, cacheStorage: true, serviceWorkers: true, siteData, cookies: opts.includeCookies && trigger !== 'auto' && shared, ...(scope ? { scope } : {}) };
}

/** One report shape for every trigger; a page that could not be scripted counts as nothing found there. */
export function buildReport(input: {
  origin: Origin;
  trigger: ClearTrigger;
  plan: ClearPlan;
  page: PageClearResult | null;
  bytesAfter: number | null;
  at: number;
  undo?: UndoInfo | null;
  kept?: { because: 'over-cap' | 'backup-failed'; detail: string } | null;
  phases?: ClearReport['phases'];
  failure?: string | null;
}): ClearReport {
  const { page } = input;
  return {
    origin: input.origin,
    at: input.at,
    trigger: input.trigger,
    pageStep: page ? 'done' : 'unavailable',
    keptSiteData: !input.plan.siteData,
    keptSiteDataBecause: input.kept?.because ?? null,
    backupDetail: input.kept?.detail ?? null,
    undo: input.undo ?? null,
    ...(input.phases ? { phases: input.phases } : {}),
    ...(input.failure ? { failure: input.failure } : {}),
    cookies: input.plan.cookies,
    serviceWorkers: page?.serviceWorkers ?? 0,
    caches: page?.caches ?? [],
    indexedDB: page?.indexedDB ?? [],
    localStorageItems: page?.localStorageItems ?? 0,
    sessionStorageItems: page?.sessionStorageItems ?? 0,
    bytesBefore: page?.bytesBefore ?? null,
    bytesAfter: input.bytesAfter,
    ...(page?.failedSteps ? { failedSteps: page.failedSteps } : {}),
    ...(page?.scoped ? { scoped: page.scoped } : input.plan.scope ? { scoped: { path: input.plan.scope.path, cacheEntries: 0, otherWorkers: 0, otherCaches: 0 } } : {}),
  };
}

export function freedBytes(report: Pick<ClearReport, 'bytesBefore' | 'bytesAfter'>): number | null {
  if (report.bytesBefore === null || report.bytesAfter === null) return null;
  return Math.max(0, report.bytesBefore - report.bytesAfter);
}

/** Keeps the newest report per site, at most `limit` sites. */
export function withReport(reports: Record<string, ClearReport>, report: ClearReport, limit = 50): Record<string, ClearReport> {
  // Two apps of one origin each keep their own (core/app-path siteKey).
  const key = (r: ClearReport) => siteKey(r.origin, r.scoped?.path);
  const next = { ...reports, [key(report)]: report };
  const sorted = Object.values(next).sort((a, b) => b.at - a.at).slice(0, limit);
  return Object.fromEntries(sorted.map((r) => [key(r), r]));
}
