/**
 * Does the page in a tab run the code the server serves now? The content script
 * reports what its document loaded; the background asks the server for the same
 * URL and judges (core/staleness). The verdict is kept per tab, shown as a badge
 * mark and in the popup, and acted on only when the page runs old code: a
 * history return is reloaded, an auto-clear site is fixed.
 */
import { appPathOf } from '../core/app-path';
import { isProtected } from '../core/dnr-rules';
import { APP_NAMES } from '../core/fingerprint';
import { classifyTabUrl, type Origin } from '../core/origin';
import type { FrameRecord, TabRecord } from '../core/records';
import { describeStale } from '../core/verdict-text';
import type { Settings } from '../core/settings';
import { MAX_VOLATILE_PATHS } from '../core/records';
import { compareAnswers, documentKey, isHistoryReturn, judge, judgeBySize, viewId, type PageReport, type ServerView, type Verdict } from '../core/staleness';
import type { AutoAction, Pause } from '../core/auto-guard';
import { signalMayCheck, type SignalMessage } from '../core/page-signals';
import { grantedOrigins, hasHostAccess } from '../platform/permissions';
import { readSettings, records } from '../platform/storage';
import { STORED_ITEMS } from '../core/stored-items';
import { admitted } from '../core/rate-limit';
import { reloadDocument, tabUrl } from '../platform/tabs';
import { clearTabBadge, setTabBadge } from '../platform/badge';
import { t } from '../platform/i18n';
import { autoClearOn, autoFix } from './auto-clear';
import { clearAndReload } from './clear-and-reload';
import { announce } from './feedback';
import { noticeIfNoToolbar } from './stale-notice';
import { claimAction, noteGuardVerdict, pruneGuards, releaseAction } from './auto-guard';
import { recognise } from './recognition';
import { CHECK_WINDOW_MS, confirmedFor, markConfirmed, pruneServerChecks, secondOpinion, serverChecks, serverView } from './server-checks';
import { describeUpgrade } from './version-check';
import { forgetFrames, keepFrame, tabFrames, tabRecords } from './tab-records';

/** Per origin: code-file paths whose query is a per-request token (see core/staleness compareAnswers). */
const volatilePaths = records(STORED_ITEMS.volatile);

const NO_RELOAD = { reload: false } as const;

/**
 * Reports a page can cause, per tab and per origin, in a sliding window. Only
 * trusted load events are reported at all (one per real navigation), so this
 * only bounds a page that reloads itself in a loop, or a bug: a user pressing
 * F5 never comes near it. A stopped worker forgets the counts, which only ever
 * lets a few more through: that is all a rate limit needs to survive.
 */
const RATE = { windowMs: 10_000, perTab: 20, perOrigin: 100 };
const recent = new Map<string, number[]>();

/** Forgets the counts (tests start each case from a fresh worker). */
export function resetRateLimits(): void {
  recent.clear();
  signalChecks.clear();
}

function admit(keys: string[], now = Date.now()): boolean {
  const limits = keys.map((key) => (key.startsWith('tab:') || key.startsWith('frames:') ? RATE.perTab : RATE.perOrigin));
  const { ok, next } = admitted(keys.map((key) => recent.get(key) ?? []), limits, now, RATE.windowMs);
  keys.forEach((key, i) => recent.set(key, next[i]!));
  return ok;
}

/** Whether the detector (and its one request per check) applies to this origin. */
async function watched(settings: Settings, origin: Origin): Promise<boolean> {
  return isProtected(settings, origin, await grantedOrigins(settings.customOrigins));
}

/**
 * Per tab, the last report received: a report whose handling is overtaken by a
 * newer one of the same tab writes nothing. (Recognising an unprotected page
 * asks its server; the user can be Back on the protected app before that
 * answer comes, and the late write used to put the page they left over the
 * record of the page they came back to, whose upgrade then went unseen.)
 */
const latestReport = new Map<number, number>();
let reportCount = 0;

/** The content script of tab `tab.id` reported its document. */
export async function onPageReport(tab: { id: number; url: string }, report: PageReport): Promise<{ reload: boolean }> {
  const target = classifyTabUrl(tab.url);
  if (target.kind !== 'site') return NO_RELOAD;
  const { origin } = target;
  if (!admit([`tab:${tab.id}`, `origin:${origin}`])) return NO_RELOAD;
  const seq = ++reportCount;
  latestReport.set(tab.id, seq);
  const overtaken = () => latestReport.get(tab.id) !== seq;
  // A top document brings its own frames: frames loaded before it belong to an earlier page (a back/forward
  // restore keeps its load time, and so its frames).
  await forgetFrames(tab.id, report.loadedAt);
  const url = documentKey(tab.url);
  const { settings } = await readSettings();

  let view: ServerView | null = null;
  if (!(await watched(settings, origin))) {
    view = await recognise(settings, origin, url, report);
    if (overtaken()) return NO_RELOAD;
    if (!view) {
      await tabRecords.remove(tab.id);
      return NO_RELOAD;
    }
  }
  if (overtaken()) return NO_RELOAD;
  await tabRecords.update(tab.id, (prev) => {
    const same = prev?.url === url && prev.docId === report.docId;
    return {
      origin, url, assets: report.assets, version: report.version, navigation: report.navigation,
      docId: report.docId, loadedAt: report.loadedAt, sizes: report.sizes,
      // Strictly increasing per tab: a verdict reached for an older report never overwrites a newer one.
      reportedAt: Math.max(Date.now(), (prev?.reportedAt ?? 0) + 1),
      verdict: prev?.verdict ?? null,
      judgedAgainst: same ? prev.judgedAgainst : null,
    };
  });
  view ??= await serverView(url);
  const { reload } = await settle(settings, tab.id, view, { mayReload: true });
  // The answer goes to the very document that reported: it reloads itself.
  return { reload: reload !== null };
}

/**
 * The content script of a frame of tab `frame.id` reported its document: an app
 * embedded in a page (a Gradio app in an iframe, gradio#7106). If its origin is
 * protected or recognised it is judged like a page, on the same evidence, and
 * the popup of the tab says so ("the embedded Gradio app runs old code"). A frame
 * is never reloaded or cleared by itself, and sets no badge: the page around it
 * is the tab's own.
 */
export async function onFrameReport(frame: { id: number; url: string; frameId: number }, report: PageReport): Promise<{ reload: boolean }> {
  const target = classifyTabUrl(frame.url);
  if (target.kind !== 'site') return NO_RELOAD;
  const { origin } = target;
  // Frames have a budget of their own: a page of many frames must not use up its tab's (whose report would be dropped).
  if (!admit([`frames:${frame.id}`, `origin:${origin}`])) return NO_RELOAD;
  const url = documentKey(frame.url);
  const { settings } = await readSettings();
  let view: ServerView | null = null;
  if (!(await watched(settings, origin))) {
    view = await recognise(settings, origin, url, report);
    if (!view) return NO_RELOAD;
  }
  view ??= await serverView(url);
  const record: FrameRecord = {
    origin, url, assets: report.assets, version: report.version, navigation: report.navigation, docId: report.docId,
    loadedAt: report.loadedAt, reportedAt: Date.now(), verdict: null, judgedAgainst: null, sizes: report.sizes, app: report.app,
  };
  await judgeFrame(settings, frame.id, frame.frameId, record, view);
  return NO_RELOAD;
}

/** Judges one frame's document against a server answer and keeps the verdict (unless a newer document took the frame). */
async function judgeFrame(settings: Settings, tabId: number, frameId: number, record: FrameRecord, view: ServerView): Promise<void> {
  const weighed = await weigh(record, view);
  const verdict = weighed.verdict.state === 'stale' ? await nameUpgrade(settings, record, weighed.verdict, weighed.id, weighed.view) : weighed.verdict;
  const app = record.app ?? (weighed.view.ok ? weighed.view.app : null);
  await keepFrame(tabId, frameId, { ...record, verdict, judgedAgainst: weighed.id, app });
}

/**
 * The verdict for a page, resting on evidence: "runs old code" only when a
 * second answer of the server agrees with the first, once what differs between
 * the two (per-request tokens) is set aside. Returns the verdict and the id of
 * the server answer it was reached against.
 */
async function weigh(record: TabRecord, first: ServerView): Promise<{ verdict: Verdict; id: string; view: ServerView }> {
  let volatile = new Set((await volatilePaths.get(record.origin)) ?? []);
  const verdict = judgeBySize(record, first, judge(record, first, volatile));
  const id = viewId(first, volatile);
  if (verdict.state !== 'stale' || (await confirmedFor(record.url)) === id) return { verdict, id, view: first };

  const second = await secondOpinion(record.url);
  const compared = compareAnswers(first, second, volatile);
  if (compared.volatile.size > volatile.size) {
    volatile = compared.volatile;
    await volatilePaths.update(record.origin, (prev) => [...new Set([...(prev ?? []), ...compared.volatile])].slice(-MAX_VOLATILE_PATHS));
  }
  const secondId = viewId(second, volatile);
  if (!compared.stable) return { verdict: { state: 'unknown', reason: 'unstable' }, id: secondId, view: second };
  const confirmed = judgeBySize(record, second, judge(record, second, volatile));
  if (confirmed.state === 'stale') await markConfirmed(record.url, secondId);
  return { verdict: confirmed, id: secondId, view: second };
}

/**
 * Judges one tab against a server view, stores and shows the verdict, and acts
 * on "runs old code" within the site's guard (core/auto-guard): auto-clear fixes
 * the site; otherwise a history return is reloaded, once per upgrade. Returns the
 * reload claimed for the page's own document, if any: the caller has that
 * document reload itself, or releases the claim.
 */
async function settle(settings: Settings, tabId: number, view: ServerView, opts: { mayReload: boolean }): Promise<{ verdict: Verdict | null; reload: Claimed | null }> {
  const record = await tabRecords.get(tabId);
  if (!record) return { verdict: null, reload: null };
  const weighed = await weigh(record, view);
  const { id } = weighed;
  let verdict = weighed.verdict;
  if (verdict.state === 'stale') verdict = await nameUpgrade(settings, record, verdict, id, weighed.view);

  const stored = await tabRecords.update(tabId, (r) => {
    if (!r || r.docId !== record.docId || r.reportedAt !== record.reportedAt) return r; // a newer report took over
    return { ...r, verdict, judgedAgainst: id };
  });
  if (stored?.reportedAt !== record.reportedAt) return { verdict, reload: null };
  const stale = verdict.state === 'stale';
  const guard = verdict.state === 'unknown' ? null : await noteGuardVerdict(record.origin, { url: record.url, viewId: id, stale, loadedAt: record.loadedAt });
  await showVerdict(tabId, verdict, record.verdict, guard?.paused ?? null);
  if (verdict.state !== 'stale') return { verdict, reload: null };
  // What the in-page notice compares with, once per document: a record not yet judged is a new document,
  // whatever its tab's last verdict was.
  const noticedBefore = record.judgedAgainst === null ? null : record.verdict;

  if (autoClearOn(settings, record.origin)) {
    const staleTabs = [...(await tabRecords.all())]
      .filter(([, r]) => r.origin === record.origin && r.verdict?.state === 'stale' && r.judgedAgainst === id)
      .map(([key, r]) => ({ tabId: Number(key), docId: r.docId }));
    const app = weighed.view.ok && weighed.view.app ? APP_NAMES[weighed.view.app] : null;
    // Fixed (or being fixed): nothing more. Refused by the site's guard (done once for this answer, paused):
    // nothing fixes the page, so a window without the toolbar still says so (never a reload from here).
    if (await autoFix(settings, record.origin, { url: record.url, viewId: id, staleTabs, to: verdict.to, app })) return { verdict, reload: null };
    await noticeIfNoToolbar(tabId, record.docId, verdict, noticedBefore);
    return { verdict, reload: null };
  }
  if (opts.mayReload && isHistoryReturn(record.navigation)) {
    const claim = await claimAction(record.origin, { kind: 'reload', url: record.url, viewId: id });
    if (claim) return { verdict, reload: { origin: record.origin, docId: record.docId, action: claim.action } };
  }
  // Not fixed by itself: where no toolbar shows the badge, the page says so (the user decides when to reload).
  await noticeIfNoToolbar(tabId, record.docId, verdict, noticedBefore);
  return { verdict, reload: null };
}

/** A reload claimed for one document. */
interface Claimed {
  origin: Origin;
  docId: string;
  action: AutoAction;
}

/** "Gradio 5.1.0 → 5.2.0" where it can be known; asked of the server once per upgrade, not per check. */
async function nameUpgrade(settings: Settings, record: TabRecord, verdict: Extract<Verdict, { state: 'stale' }>, id: string, view: ServerView): Promise<Verdict> {
  if (record.verdict?.state === 'stale' && record.judgedAgainst === id) return { ...verdict, from: record.verdict.from, to: record.verdict.to };
  if (verdict.to !== null || !view.ok) return verdict;
  const upgrade = await describeUpgrade(record.origin, appPathOf(settings.appPaths[record.origin], record.url), view);
  return { ...verdict, from: verdict.from ?? upgrade.from, to: upgrade.to };
}

async function showVerdict(tabId: number, verdict: Verdict, previous: Verdict | null, paused: Pause | null): Promise<void> {
  if (verdict.state === 'stale') {
    const title = t('badgeStaleTitle', describeStale(verdict, t));
    await setTabBadge(tabId, t('badgeStale'), '#b35900', paused ? `${title}\n${t('autoPausedTitle')}` : title);
  } else if (previous?.state === 'stale') {
    await clearTabBadge(tabId);
  }
}

/**
 * Judges every tab showing `url` against `view` (a trailing check ran, a setting
 * changed). A reload decided here is carried out by the document it was decided
 * for, through its content script: a tab that has moved on to another page (or
 * whose page sits in the back/forward cache) is not reloaded, and the upgrade's
 * one reload is not spent on it.
 */
async function rejudgeUrl(url: string, view: ServerView): Promise<void> {
  const { settings } = await readSettings();
  for (const [key, record] of await tabRecords.all()) {
    if (record.url !== url) continue;
    const tabId = Number(key);
    const { reload } = await settle(settings, tabId, view, { mayReload: true });
    if (reload && !(await reloadDocument(tabId, reload.docId))) await releaseAction(reload.origin, reload.action);
  }
  // Frames showing that URL too (an embedded app seen inside the window gets the trailing check like a tab).
  for (const [tab, frames] of await tabFrames.all()) {
    for (const [frameId, record] of Object.entries(frames)) if (record.url === url) await judgeFrame(settings, Number(tab), Number(frameId), record, view);
  }
}

/** The tab's record, if it still describes the document the tab shows. */
export async function currentRecord(tabId: number): Promise<TabRecord | null> {
  const [record, url] = await Promise.all([tabRecords.get(tabId), tabUrl(tabId)]);
  if (!record || !url) return null;
  const target = classifyTabUrl(url);
  return target.kind === 'site' && target.origin === record.origin ? record : null;
}

/**
 * A user looks at the tab (it came to the front, or the popup opened on it):
 * judge it again. The popup asks the server afresh; activation goes through
 * the window, so a burst of tab switches costs one request.
 */
export async function revisitTab(tabId: number, opts: { force?: boolean } = {}): Promise<Verdict | null> {
  const record = await currentRecord(tabId);
  if (!record) return null;
  const { settings } = await readSettings();
  if (!(await watched(settings, record.origin)) || !(await hasHostAccess(record.origin))) return null;
  const view = await serverView(record.url, opts);
  // Looking at a page never reloads it: only its own load or a trailing check after it may.
  return (await settle(settings, tabId, view, { mayReload: false })).verdict;
}

/** Per tab: when its signals last caused a check (see core/page-signals signalMayCheck). */
const signalChecks = new Map<number, number>();

/**
 * The open page in tab `tab.id` gave a sign that its code may be out of date
 * (core/page-signals): judge it again, at most once per window per tab, and
 * only while it still shows the document that gave the sign. A failed load asks
 * the server afresh; a return into view shares an answer moments old. Like a
 * look at the tab, a signal never reloads the page (the user decides when);
 * an auto-clear site follows its setting, within its guard.
 */
export async function onPageSignal(tab: { id: number; url: string }, { signal, docId }: SignalMessage): Promise<void> {
  const record = await currentRecord(tab.id);
  if (!record || record.docId !== docId) return;
  const now = Date.now();
  // A return into view that comes with a tab activation (which has just asked) needs nothing more: inside the
  // check window it would only schedule a trailing check, a second request for the same look.
  if (signal === 'visible') {
    const last = await serverChecks.get(record.url);
    if (last && now - last.at < CHECK_WINDOW_MS) return;
  }
  if (!signalMayCheck(signalChecks.get(tab.id), now)) return;
  signalChecks.set(tab.id, now);
  await revisitTab(tab.id, { force: signal === 'code-failed' });
}

/** Clear & reload pressed in the in-page notice: for the document that showed it, as a key press would. */
export async function onNoticeClear(tab: { id: number; url: string }, { docId }: { docId: string }): Promise<void> {
  const record = await currentRecord(tab.id);
  if (!record || record.docId !== docId) return;
  await announce(tab.id, await clearAndReload(tab.id, 'notice'));
}

/** Every tab of an origin whose auto-clear just went on, or that the periodic check covers. */
export async function rejudgeOrigins(filter: (settings: Settings, origin: Origin) => boolean): Promise<void> {
  const { settings } = await readSettings();
  const urls = new Set<string>();
  for (const record of (await tabRecords.all()).values()) {
    if (filter(settings, record.origin) && (await watched(settings, record.origin))) urls.add(record.url);
  }
  for (const url of urls) await rejudgeUrl(url, await serverView(url));
}

/** A trailing check has just asked the server: judge that URL's tabs with its answer. */
export async function onTrailingCheck(url: string): Promise<void> {
  const check = await serverChecks.get(url);
  if (check) await rejudgeUrl(url, check.view);
}

/** The light periodic check: open tabs of auto-clear sites; and old server checks are forgotten. */
export async function periodicCheck(): Promise<void> {
  await rejudgeOrigins(autoClearOn);
  const live = new Set([...(await tabRecords.all()).values()].map((r) => r.url));
  await pruneServerChecks(live);
  await pruneGuards();
}

export async function forgetTab(tabId: number): Promise<void> {
  signalChecks.delete(tabId);
  latestReport.delete(tabId);
  await forgetFrames(tabId);
  await tabRecords.remove(tabId);
}
