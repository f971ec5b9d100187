import { buildReport, planClear, withReport } from '../core/clear-report';
import type { Origin } from '../core/origin';
import { parseFixRecord, type FixRecord } from '../core/records';
import { siteOptions, type Settings } from '../core/settings';
import { clearBrowserStores, clearPageStores, hardReload, tabSettledOn } from '../platform/clear';
import { hasHostAccess } from '../platform/permissions';
import { records, updateLocal } from '../platform/storage';
import { notify, t } from '../platform/ui-surface';
import { backUpBeforeClear } from './clear-and-reload';

/** The periodic check while a tab of an auto-clear site is open. */
export const PERIODIC_ALARM = 'version-check';
export const PERIODIC_MINUTES = 5;

const fixes = records<FixRecord>('session', 'fixed', parseFixRecord);

export function autoClearOn(settings: Settings, origin: Origin): boolean {
  return siteOptions(settings, origin).autoClear;
}

/**
 * Tabs of `origin` run old code and the site has auto-clear on: clear what
 * holds stale code and reload those tabs, once per upgrade. The upgrade
 * (`viewId`, what the server serves now) is claimed FIRST: if the clear fails,
 * the worker dies or the reloaded page is still stale, nothing acts on this
 * upgrade again, so it cannot become a reload loop. The one exception: a fix
 * that found no page to clear in may run once more (see FixRecord.retry).
 */
export async function autoFix(
  settings: Settings,
  origin: Origin,
  upgrade: { viewId: string; staleTabs: number[]; to: string | null; app: string | null },
): Promise<boolean> {
  if (!autoClearOn(settings, origin) || upgrade.staleTabs.length === 0 || !(await hasHostAccess(origin))) return false;
  let claimed = false;
  let retrying = false;
  await fixes.update(origin, (prev) => {
    if (prev?.viewId === upgrade.viewId && !prev.retry) return prev;
    claimed = true;
    retrying = prev?.viewId === upgrade.viewId;
    return { viewId: upgrade.viewId, at: Date.now(), retry: false };
  });
  if (!claimed) return false;

  const planned = planClear(siteOptions(settings, origin), 'auto');
  let page = null;
  let secured: Awaited<ReturnType<typeof backUpBeforeClear>> | null = null;
  for (const tabId of upgrade.staleTabs) {
    // The page steps need a loaded document of this origin to run in.
    if (!(await tabSettledOn(tabId, origin))) continue;
    // Site data the user asked auto-clear to remove is backed up first, as for a press.
    secured ??= await backUpBeforeClear(tabId, origin, planned, 'auto').catch(() => null);
    if (!secured) continue;
    // A backup can take long enough for the tab to move on: the clear needs a settled page too.
    if (!(await tabSettledOn(tabId, origin))) continue;
    page = await clearPageStores(tabId, origin, secured.plan).catch(() => null);
    if (page) break;
  }
  // No page to back up from: site data stays (only what holds code is cleared).
  const plan = secured?.plan ?? { ...planned, siteData: false };
  await clearBrowserStores(origin, plan, page);
  await Promise.all(upgrade.staleTabs.map((id) => hardReload(id).catch(() => undefined)));

  // Without the page step a service worker may survive (Firefox cannot remove one by port): if the
  // reloaded page still runs old code, this upgrade gets one more attempt, and no more.
  if (!page && !retrying) await fixes.update(origin, (prev) => (prev?.viewId === upgrade.viewId ? { ...prev, retry: true } : prev));

  const report = buildReport({ origin, trigger: 'auto', plan, page, bytesAfter: null, at: Date.now(), undo: secured?.undo ?? null, kept: secured?.kept ?? null });
  await updateLocal('reports', {}, (reports) => withReport(reports, report));
  const what = upgrade.to ? (upgrade.app ? `${upgrade.app} ${upgrade.to}` : upgrade.to) : t('notifyUpdatedNewBuild');
  await notify(`auto-${origin}`, t('notifyUpdatedTitle', new URL(origin).host), t('notifyUpdatedBody', what));
  return true;
}

/** Whether a settings change switched auto-clear on for `origin` (per site, or through the default). */
export function autoClearSwitchedOn(before: Settings, after: Settings, origin: Origin): boolean {
  return !autoClearOn(before, origin) && autoClearOn(after, origin);
}
