import { buildReport, planClear, withReport, type ClearChoice, type ClearScope, type ClearPlan, type ClearReport, type ClearResult, type BackupSteps, type ClearTrigger, type UndoInfo } from '../core/clear-report';
import { formatBytes } from '../core/clear-summary';
import { classifyTabUrl, type Origin } from '../core/origin';
import { appPathOf, otherAppsWithin } from '../core/app-path';
import { siteOptions, type Settings } from '../core/settings';
import { TabGoneError, clearBrowserStores, clearHttpCache, clearPageStores, hardReload, siteDataOf } from '../platform/clear';
import { type JournalEntry } from '../core/records';
import { readSettings, records, updateLocal } from '../platform/storage';
import { STORED_ITEMS } from '../core/stored-items';
import { tabLoading, tabPartition, tabUrl } from '../platform/tabs';
import { MB } from '../core/undo-policy';
import { pauseSite } from './site-pause';
import { backUp } from './backup';
import { dropBackup } from './backups';

/** A journal entry older than this belongs to a clear that can no longer be finished meaningfully. */
const JOURNAL_TTL_MS = 60_000;

/** Presses during one worker lifetime; the journal in storage.session covers restarts. */
const running = new Set<number>();

/** One entry per tab, so clears of several tabs never share a read-modify-write. */
export const clearJournal = records(STORED_ITEMS.clear);

/**
 * After a clear has reloaded its tab, presses for that tab are swallowed until
 * the reloaded page has loaded and at least this long has passed: a held key
 * repeats about every 70 ms, and each repeat would otherwise clear the
 * reloading app again (20 presses in 1.4 s ran 15 clears).
 */
export const COOLDOWN_MS = 1500;
/** However the reload goes (a page that never finishes loading), the cool-down ends. */
const MAX_COOLDOWN_MS = 15_000;

/** A clear another worker lifetime started and has not finished (it is resumed at start-up). */
function unfinished(entry: JournalEntry | undefined): entry is JournalEntry {
  return !!entry && entry.finishedAt === null && Date.now() - entry.startedAt < JOURNAL_TTL_MS;
}

async function coolingDown(tabId: number, entry: JournalEntry | undefined): Promise<boolean> {
  if (!entry || entry.finishedAt === null) return false;
  const since = Date.now() - entry.finishedAt;
  if (since < COOLDOWN_MS) return true;
  if (since < MAX_COOLDOWN_MS && (await tabLoading(tabId))) return true;
  await clearJournal.update(tabId, (e) => (e?.finishedAt === entry.finishedAt ? undefined : e));
  return false;
}

/** A clear of this tab runs, or has just reloaded it and the page is not back yet. */
export async function isClearing(tabId: number): Promise<boolean> {
  if (running.has(tabId)) return true;
  const entry = await clearJournal.get(tabId);
  return unfinished(entry) || (await coolingDown(tabId, entry));
}

/**
 * Whether to tell the user about a press that was swallowed: once per clear, so
 * a held key gives one "already clearing" notice, not twenty.
 */
export async function claimBusyNotice(tabId: number): Promise<boolean> {
  let first = false;
  await clearJournal.update(tabId, (e) => {
    if (!e || e.noticed) return e;
    first = true;
    return { ...e, noticed: true };
  });
  return first;
}

/**
 * Clears the tab's exact origin and hard-reloads it. Never throws: every outcome,
 * including a tab closed half-way, is a ClearResult.
 */
export async function clearAndReload(tabId: number, trigger: ClearTrigger, opts: { resume?: boolean; choice?: ClearChoice } = {}): Promise<ClearResult> {
  // Claimed before the first await, so two presses in one tick cannot both pass.
  if (running.has(tabId)) return { ok: false, error: 'busy' };
  running.add(tabId);
  let journaled = false;
  let reloaded = false;
  try {
    const url = await tabUrl(tabId);
    if (url === null) return { ok: false, error: 'tab-closed' };
    const target = classifyTabUrl(url);
    if (target.kind === 'restricted' || url === undefined) return { ok: false, error: 'restricted', reason: target.kind === 'restricted' ? target.reason : 'no-url' };
    if (!opts.resume) {
      const entry = await clearJournal.get(tabId);
      if (unfinished(entry) || (await coolingDown(tabId, entry))) return { ok: false, error: 'busy' };
    }
    journaled = true;
    const choice = opts.choice ?? {};
    const { settings } = await readSettings();
    const scope = clearScopeOf(settings, target.origin, url);
    await clearJournal.set(tabId, { origin: target.origin, trigger, startedAt: Date.now(), finishedAt: null, noticed: false, choice, appPath: scope?.path ?? null });
    const report = await runClear(tabId, target.origin, settings, scope, trigger, choice);
    reloaded = true;
    // The entry stays as the tab's cool-down; its next press is judged against it.
    await clearJournal.update(tabId, (e) => e && { ...e, finishedAt: Date.now() });
    await updateLocal('reports', {}, (reports) => withReport(reports, report));
    return { ok: true, report };
  } catch (e) {
    if (e instanceof TabGoneError) return { ok: false, error: 'tab-closed' };
    if (e instanceof NeedsConfirmation) return { ok: false, error: 'needs-confirmation', bytes: e.bytes, capBytes: e.capBytes };
    return { ok: false, error: 'failed', detail: e instanceof Error ? e.message : String(e) };
  } finally {
    running.delete(tabId);
    if (journaled && !reloaded) await clearJournal.remove(tabId).catch(() => undefined);
  }
}

/**
 * What a clear of the tab at `url` is scoped to (planClear): null for an
 * origin with no apps under paths; else the app the URL lies in (or the rest of
 * the origin), and the declared apps within it that it must leave alone.
 */
export function clearScopeOf(settings: Settings, origin: Origin, url: string): ClearScope | null {
  const paths = settings.appPaths[origin] ?? [];
  if (paths.length === 0) return null;
  const path = appPathOf(paths, url);
  return { path, keep: otherAppsWithin(paths, path) };
}

/** The popup asked for a clear whose site data is over the backup cap: nothing was touched, the user decides. */
class NeedsConfirmation extends Error {
  constructor(readonly bytes: number, readonly capBytes: number) {
    super('needs confirmation');
  }
}

/**
 * Never a silent clear without a backup: site data goes only once a backup of
 * it is stored, or the site holds none, or the user chose to clear it without
 * Undo. Otherwise the plan keeps site data, and the report says why.
 */
export async function backUpBeforeClear(
  tabId: number,
  origin: Origin,
  plan: ClearPlan,
  trigger: ClearTrigger,
  choice: ClearChoice = {},
  opts: { pinned?: boolean } = {},
): Promise<{ plan: ClearPlan; undo: UndoInfo | null; kept: { because: 'over-cap' | 'backup-failed'; detail: string } | null; steps?: BackupSteps }> {
  if (!plan.siteData || choice.withoutUndo) return { plan, undo: null, kept: null };
  const backup = await backUp(tabId, origin, opts);
  if (backup.kind === 'stored') {
    return { plan, undo: { id: backup.meta.id, until: backup.meta.expiresAt, bytes: backup.meta.bytes, takenAt: backup.meta.takenAt }, kept: null, steps: backup.steps };
  }
  if (backup.kind === 'empty') return { plan, undo: null, kept: null };
  if (backup.kind === 'over-cap' && trigger === 'popup') throw new NeedsConfirmation(backup.bytes, backup.capBytes);
  const kept = backup.kind === 'over-cap'
    ? { because: 'over-cap' as const, detail: `${formatBytes(backup.bytes)} > ${formatBytes(backup.capBytes)}` }
    : { because: 'backup-failed' as const, detail: backup.error };
  return { plan: { ...plan, siteData: false }, undo: null, kept };
}

/**
 * Whether to pause the site before its backup: whenever it holds site data to
 * back up and remove, except that a site whose storage already exceeds the
 * backup cap is not touched before the popup has asked about it (it is paused
 * after the backup if the backup fits after all; see runClear). A site with no
 * data at all is not paused: there is nothing to lose, and no reason for a
 * second reload.
 */
async function pauseFirst(tabId: number, origin: Origin, plan: ClearPlan, choice: ClearChoice, capBytes: number): Promise<boolean> {
  if (!plan.siteData || choice.withoutUndo) return false;
  const site = await siteDataOf(tabId, origin);
  return !!site?.any && site.usage !== null && site.usage <= capBytes;
}

/** `settings` and `scope`: as the clear was journaled with them (clearAndReload). */
async function runClear(tabId: number, origin: Origin, settings: Settings, scope: ClearScope | null, trigger: ClearTrigger, choice: ClearChoice): Promise<ClearReport> {
  const options = siteOptions(settings, origin);
  let planned = planClear(options, trigger, scope);
  if (choice.keepSiteData) planned = { ...planned, siteData: false };
  // The tab's storage partition (Firefox container, private window): nothing of another is touched.
  const partition = await tabPartition(tabId);
  if (partition === undefined) throw new TabGoneError(tabId);
  const t0 = performance.now();
  // A record the app commits between the backup and the removal would be in no backup (a chat app
  // writing every 5 ms lost 11–17): the site's tabs stay paused from before the backup until the
  // removal is done, and only then reload onto the live app.
  let pause = (await pauseFirst(tabId, origin, planned, choice, settings.undoCapMb * MB)) ? await pauseSite(origin, tabId, partition) : null;
  const tPause = performance.now();
  let cleared = false;
  let secured: Awaited<ReturnType<typeof backUpBeforeClear>>;
  let page: Awaited<ReturnType<typeof clearPageStores>>;
  let t1: number, t2: number, t3: number;
  try {
    secured = await backUpBeforeClear(tabId, origin, planned, trigger, choice);
    if (!pause && secured.undo) {
      // Over the estimate but within the cap after all: taken while the app ran, so taken again, paused.
      await dropBackup(secured.undo.id);
      pause = await pauseSite(origin, tabId, partition);
      secured = await backUpBeforeClear(tabId, origin, planned, trigger, choice);
    }
    t1 = performance.now();
    // The HTTP cache (browser) and the page's own stores (in the page) do not touch each other: side by side.
    // An app under a path leaves the origin's HTTP cache to the other apps: the hard reload fetches its files afresh.
    const httpCache = planned.scope === undefined ? clearHttpCache(origin) : Promise.resolve();
    httpCache.catch(() => undefined);
    page = await clearPageStores(tabId, origin, secured.plan);
    // Workers the pause removed count as this clear's, except in an app under a path: the paused tabs of
    // the origin's other apps had theirs removed too, and they are not this app's.
    if (page && pause && !secured.plan.scope) page = { ...page, serviceWorkers: page.serviceWorkers + pause.workersRemoved };
    t2 = performance.now();
    await httpCache;
    // What the page step could not do (it did not run, or a database was held open), and cookies.
    await clearBrowserStores(origin, secured.plan, page, { httpCacheCleared: true, partition });
    t3 = performance.now();
    cleared = true;
  } finally {
    // The other tabs reload now; this one below. A clear that failed half-way reloads it here too.
    await pause?.lift(cleared ? { except: tabId } : {});
  }
  await hardReload(tabId);
  const { plan, undo, kept, steps } = secured;
  const phases = {
    backup: Math.round(t1 - t0), page: Math.round(t2 - t1), browser: Math.round(t3 - t2), pause: Math.round(tPause - t0),
    ...(steps ? { backupSteps: steps } : {}),
  };
  return buildReport({ origin, trigger, plan, page, bytesAfter: page?.bytesAfter ?? null, at: Date.now(), undo, kept, phases });
}

/**
 * A worker stopped mid-clear leaves its journal entry behind. Clearing is
 * idempotent, so the restarted worker runs the clear again to its reload,
 * provided the tab still shows the same origin; otherwise it drops the entry.
 */
export async function resumeInterruptedClears(): Promise<void> {
  for (const [key, entry] of await clearJournal.all()) {
    const tabId = Number(key);
    if (running.has(tabId) || entry.finishedAt !== null) continue; // finished: only a cool-down
    const url = await tabUrl(tabId);
    const sameOrigin = url ? classifyTabUrl(url) : null;
    // The same app too: a clear begun in /comfy/ must not resume as one of the rest of the origin.
    const sameApp = !!url && (clearScopeOf((await readSettings()).settings, entry.origin, url)?.path ?? null) === (entry.appPath ?? null);
    if (Date.now() - entry.startedAt < JOURNAL_TTL_MS && sameOrigin?.kind === 'site' && sameOrigin.origin === entry.origin && sameApp) {
      await clearAndReload(tabId, entry.trigger, { resume: true, choice: entry.choice ?? {} });
    } else {
      await clearJournal.remove(key);
      // Not resumed (too late to reload the user's tab, or the tab moved on), but never dropped without a word.
      // Kept where its app's tab looks for it (an app under a path has a report of its own).
      const scope = entry.appPath ? { path: entry.appPath, keep: [] } : null;
      const report = buildReport({
        origin: entry.origin, trigger: entry.trigger, plan: { ...planClear({ keepSiteData: true, includeCookies: false, autoClearSiteData: false }, entry.trigger, scope), siteData: false },
        page: null, bytesAfter: null, at: Date.now(), failure: INTERRUPTED,
      });
      await updateLocal('reports', {}, (reports) => withReport(reports, report));
    }
  }
}

/** Shown for a clear the browser stopped half-way (the worker ended) and that was not finished after. */
export const INTERRUPTED = 'interrupted: Stalebuster was stopped before this clear finished, and it was not finished later. Press Clear & reload again.';
