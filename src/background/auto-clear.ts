import { buildReport, planClear, withReport } from '../core/clear-report';
import type { Origin } from '../core/origin';
import { siteOptions, type Settings } from '../core/settings';
import { clearBrowserStores, clearPageStores, tabSettledOn } from '../platform/clear';
import { hasHostAccess } from '../platform/permissions';
import { updateLocal } from '../platform/storage';
import { reloadDocument, tabPartition } from '../platform/tabs';
import { t } from '../platform/i18n';
import { notify } from '../platform/notifications';
import { actionDone, actionFailed, claimAction } from './auto-guard';
import { tabRecords } from './tab-records';
import { backUpBeforeClear, clearScopeOf } from './clear-and-reload';

/** The periodic check while a tab of an auto-clear site is open. */
export const PERIODIC_ALARM = 'version-check';
export const PERIODIC_MINUTES = 5;

export function autoClearOn(settings: Settings, origin: Origin): boolean {
  return siteOptions(settings, origin).autoClear;
}

/** A step's error as one line for the report. */
function failureText(step: string, e: unknown): string {
  return `${step}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500);
}

/**
 * Tabs of `origin` run old code and the site has auto-clear on: clear what
 * holds stale code and reload those tabs. Whether it may act at all is the
 * site's guard's call (core/auto-guard: once per upgrade, a ceiling, a pause
 * after a fix that did not take), claimed before anything runs. Each tab is
 * reloaded only if it still shows the document that was judged.
 *
 * A step that fails (the browser refused to clear, no page could be scripted)
 * is written into the site's report, shown in the popup, and leaves the upgrade
 * one more attempt; a second failure pauses the site's automatic fixes.
 */
/** Those of `decided`'s tabs whose current record is judged old against `viewId`, with that record's document. */
async function documentsJudgedOld(origin: Origin, viewId: string, decided: { tabId: number; docId: string }[]): Promise<{ tabId: number; docId: string }[]> {
  const out: { tabId: number; docId: string }[] = [];
  for (const { tabId } of decided) {
    const record = await tabRecords.get(tabId);
    if (record?.origin === origin && record.verdict?.state === 'stale' && record.judgedAgainst === viewId) out.push({ tabId, docId: record.docId });
  }
  return out;
}

export async function autoFix(
  settings: Settings,
  origin: Origin,
  upgrade: { url: string; viewId: string; staleTabs: { tabId: number; docId: string }[]; to: string | null; app: string | null },
): Promise<boolean> {
  if (!autoClearOn(settings, origin) || upgrade.staleTabs.length === 0 || !(await hasHostAccess(origin))) return false;
  // An origin whose apps live under paths: only a page of one of them is fixed, and only that app is cleared.
  const scope = clearScopeOf(settings, origin, upgrade.url);
  if (scope && scope.path === null) return false;
  const claim = await claimAction(origin, { kind: 'clear', url: upgrade.url, viewId: upgrade.viewId });
  if (!claim) return false;

  const planned = planClear(siteOptions(settings, origin), 'auto', scope);
  let page = null;
  let secured: Awaited<ReturnType<typeof backUpBeforeClear>> | null = null;
  let failure: string | null = null;
  // The partition of the tab the site's data was backed up and cleared in: the browser-level step stays in it.
  let partition: string | null = null;
  for (const { tabId } of upgrade.staleTabs) {
    // The page steps need a loaded document of this origin to run in.
    if (!(await tabSettledOn(tabId, origin))) continue;
    // Site data the user asked auto-clear to remove is backed up first, as for a press.
    secured ??= await backUpBeforeClear(tabId, origin, planned, 'auto', {}, { pinned: claim.firstOfBurst }).catch((e: unknown) => {
      failure = failureText('backup', e);
      return null;
    });
    if (!secured) continue;
    // A backup can take long enough for the tab to move on: the clear needs a settled page too.
    if (!(await tabSettledOn(tabId, origin))) continue;
    partition = (await tabPartition(tabId)) ?? null;
    page = await clearPageStores(tabId, origin, secured.plan).catch((e: unknown) => {
      failure = failureText('page', e);
      return null;
    });
    if (page) break;
  }
  // No page to back up from: site data stays (only what holds code is cleared).
  const plan = secured?.plan ?? { ...planned, siteData: false };
  try {
    await clearBrowserStores(origin, plan, page, { partition });
  } catch (e) {
    failure = failureText('browser', e);
  }
  // Without the page step a service worker may survive (Firefox cannot remove one by port): the
  // fix did not complete, and the upgrade gets one more attempt (then the site is paused).
  if (!page && !failure) failure = 'page: no page of the site could be scripted';
  if (failure !== null) await actionFailed(origin, claim.action);
  else await actionDone(origin, claim.action, { removedData: plan.siteData });
  // The documents judged old against this upgrade now (a tab may have loaded another one, from its
  // worker's cache, while the fix ran): each reloads only if it is still what its tab shows.
  let reloaded = 0;
  for (const { tabId, docId } of await documentsJudgedOld(origin, upgrade.viewId, upgrade.staleTabs)) {
    // A plain reload: the origin's (or the app's) workers and Cache Storage are gone, and the freshness rules
    // revalidate every file from the HTTP cache (max-age=0), which an app under a path keeps: a content-hashed
    // bundle alone is served from it, and an upgrade names new ones.
    if (await reloadDocument(tabId, docId)) reloaded++;
  }

  const report = buildReport({
    origin, trigger: 'auto', plan, page, bytesAfter: null, at: Date.now(), undo: secured?.undo ?? null, kept: secured?.kept ?? null, failure,
  });
  await updateLocal('reports', {}, (reports) => withReport(reports, report));
  const what = upgrade.to ? (upgrade.app ? `${upgrade.app} ${upgrade.to}` : upgrade.to) : t('notifyUpdatedNewBuild');
  if (failure === null) await notify(`auto-${origin}`, t('notifyUpdatedTitle', new URL(origin).host), t('notifyUpdatedBody', what));
  else await notify(`auto-${origin}`, t('notifyAutoFailedTitle', new URL(origin).host), failure);
  return reloaded > 0;
}

/** Whether a settings change switched auto-clear on for `origin` (per site, or through the default). */
export function autoClearSwitchedOn(before: Settings, after: Settings, origin: Origin): boolean {
  return !autoClearOn(before, origin) && autoClearOn(after, origin);
}
