import { buildReport, planClear, withReport } from '../core/clear-report';
import { describeFingerprint, type Fingerprint } from '../core/fingerprint';
import type { VersionCheck } from '../core/messages';
import { classifyTabUrl, type Origin } from '../core/origin';
import { siteOptions, type Settings } from '../core/settings';
import { decideOnFingerprint } from '../core/version-decision';
import { browser } from '../platform/browser';
import { clearBrowserStores, clearPageStores, hardReload, tabSettledOn } from '../platform/clear';
import { hasHostAccess } from '../platform/permissions';
import { local, readSettings, session, updateLocal, updateSession, type VisitOutcome } from '../platform/storage';
import { notify, t } from '../platform/ui-surface';
import { fetchFingerprint } from './fetch-fingerprint';

/** Ten tabs of one origin activating together make one fetch. */
export const CHECK_DEBOUNCE_MS = 10_000;
export const PERIODIC_ALARM = 'version-check';
export const PERIODIC_MINUTES = 5;

const inflight = new Map<Origin, Promise<VersionCheck>>();

/** One fetch per origin at a time; callers arriving meanwhile share its answer. */
export function checkVersion(origin: Origin): Promise<VersionCheck> {
  let pending = inflight.get(origin);
  if (!pending) {
    pending = fetchFingerprint(origin).finally(() => inflight.delete(origin));
    inflight.set(origin, pending);
  }
  return pending;
}

async function claimCheck(origin: Origin, now: number): Promise<boolean> {
  const last = (await session.get('lastCheck'))?.[origin]?.at ?? 0;
  if (now - last < CHECK_DEBOUNCE_MS) return false;
  await updateSession('lastCheck', {}, (m) => ({ ...m, [origin]: { at: now } }));
  return true;
}

async function recordOutcome(origin: Origin, outcome: VisitOutcome): Promise<VisitOutcome> {
  await updateSession('lastCheck', {}, (m) => ({ ...m, [origin]: { at: m[origin]?.at ?? Date.now(), outcome } }));
  return outcome;
}

/** Open tabs by origin. Without the "tabs" permission only host-permitted tabs carry a URL, which is all we act on. */
async function tabsByOrigin(): Promise<Map<Origin, number[]>> {
  const byOrigin = new Map<Origin, number[]>();
  for (const tab of await browser.tabs.query({})) {
    const target = classifyTabUrl(tab.url);
    if (tab.id === undefined || target.kind !== 'site') continue;
    byOrigin.set(target.origin, [...(byOrigin.get(target.origin) ?? []), tab.id]);
  }
  return byOrigin;
}

function autoClearOn(settings: Settings, origin: Origin): boolean {
  return siteOptions(settings, origin).autoClear;
}

export async function storeFingerprint(origin: Origin, fingerprint: Fingerprint): Promise<void> {
  await updateLocal('fingerprints', {}, (m) => ({ ...m, [origin]: { ...fingerprint, checkedAt: Date.now() } }));
}

/** Records the current fingerprint as the baseline (auto-clear just switched on). */
export async function recordBaseline(origin: Origin): Promise<void> {
  const check = await checkVersion(origin);
  if (check.ok) await storeFingerprint(origin, check.fingerprint);
}

/**
 * A tab of `origin` navigated or came to the front: compare the served app with
 * the recorded one and, on a change, clear what holds stale code and reload once.
 */
export async function onOriginVisit(origin: Origin, visitingTabId?: number): Promise<VisitOutcome | 'skipped'> {
  // Claimed before the first await: visits arriving together (ten tabs) must not
  // all read the old fingerprint and each clear and reload.
  if (visiting.has(origin)) return 'skipped';
  visiting.add(origin);
  try {
    return await visit(origin, visitingTabId);
  } finally {
    visiting.delete(origin);
  }
}

const visiting = new Set<Origin>();

async function visit(origin: Origin, visitingTabId?: number): Promise<VisitOutcome | 'skipped'> {
  const { settings } = await readSettings();
  if (!autoClearOn(settings, origin) || !(await hasHostAccess(origin))) return 'skipped';
  if (!(await claimCheck(origin, Date.now()))) return 'skipped';

  const check = await checkVersion(origin);
  if (!check.ok) return recordOutcome(origin, 'unreachable');
  const stored = (await local.get('fingerprints'))?.[origin];
  const decision = decideOnFingerprint(stored, check.fingerprint);
  // Recorded FIRST: if anything below fails or the worker dies, the next visit sees
  // "same" and cannot loop into another reload.
  await storeFingerprint(origin, check.fingerprint);
  if (decision !== 'updated') return recordOutcome(origin, decision);

  await applyUpdate(settings, origin, check.fingerprint, visitingTabId);
  return recordOutcome(origin, 'updated');
}

async function applyUpdate(settings: Settings, origin: Origin, fingerprint: Fingerprint, visitingTabId?: number): Promise<void> {
  const plan = planClear(siteOptions(settings, origin), 'auto');
  // The check usually ends before the visit that caused it has committed its
  // document (Firefox lists such a tab with no URL): let the visit land first.
  if (visitingTabId !== undefined) await tabSettledOn(visitingTabId, origin);
  const tabIds = (await tabsByOrigin()).get(origin) ?? [];
  const pageTab = visitingTabId !== undefined && tabIds.includes(visitingTabId) ? visitingTabId : tabIds[0];
  let page = null;
  if (pageTab !== undefined && (await tabSettledOn(pageTab, origin))) {
    page = await clearPageStores(pageTab, origin, plan).catch(() => null);
  }
  await clearBrowserStores(origin, plan);
  await Promise.all(tabIds.map((id) => hardReload(id).catch(() => undefined)));

  const report = buildReport({ origin, trigger: 'auto', plan, page, bytesAfter: null, at: Date.now() });
  await updateLocal('reports', {}, (reports) => withReport(reports, report));
  const { app, version } = describeFingerprint(fingerprint);
  await notify(`auto-${origin}`, t('notifyUpdatedTitle', new URL(origin).host), t('notifyUpdatedBody', app ? `${app} ${version}` : version));
}

/** Origins with auto-clear whose tabs are open: the light periodic check. */
export async function periodicCheck(): Promise<void> {
  const { settings } = await readSettings();
  for (const origin of (await tabsByOrigin()).keys()) if (autoClearOn(settings, origin)) await onOriginVisit(origin);
}

/** Which origins had auto-clear switched on by a settings change. */
export function newlyAutoCleared(before: Settings, after: Settings): Origin[] {
  const origins = new Set([...Object.keys(before.sites), ...Object.keys(after.sites)]);
  return [...origins].filter((o) => !autoClearOn(before, o) && autoClearOn(after, o));
}
