import { CEILING, WINDOW_MS, type PauseReason } from './auto-guard';
import { freedBytes, type ClearReport, type ClearResult, type PageStep } from './clear-report';
import type { UndoResult } from './messages';
import type { RestrictedReason } from './origin';

/** Localisation seam: core builds message keys and arguments, the platform looks them up. */
export type Translate = (key: string, substitutions?: string | string[]) => string;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "Undo until 14:05 · 12.3 MB", or why site data was kept; null when neither applies. */
export function backupLine(report: ClearReport, tr: Translate, time: (at: number) => string): string | null {
  if (report.undo) return tr('summaryUndo', [time(report.undo.until), formatBytes(report.undo.bytes)]);
  if (report.keptSiteDataBecause === 'over-cap') return tr('summaryKeptOverCap', report.backupDetail ?? '');
  if (report.keptSiteDataBecause === 'backup-failed') return tr('summaryKeptBackupFailed', report.backupDetail ?? '');
  return null;
}

/** "2 service workers · 3 caches · 1 database · 4 storage items · 1.2 MB freed" */
export function summariseReport(report: ClearReport, tr: Translate): string {
  const parts = report.failure ? [tr('reportFailed', report.failure)] : [];
  const { scoped } = report;
  if (scoped) parts.push(scoped.path === null ? tr('summaryScopedRest') : tr('summaryScoped', scoped.path));
  parts.push(
    tr('summaryWorkers', String(report.serviceWorkers)),
    tr('summaryCaches', String(report.caches.length)),
  );
  if (scoped && scoped.cacheEntries > 0) parts.push(tr('summaryCacheEntries', String(scoped.cacheEntries)));
  if (!report.keptSiteData) {
    parts.push(tr('summaryDatabases', String(report.indexedDB.length)));
    parts.push(tr('summaryStorage', String(report.localStorageItems + report.sessionStorageItems)));
    if (scoped) parts.push(tr('summarySharedCleared'));
  } else {
    parts.push(tr(scoped ? 'summarySharedKept' : 'summaryKeptData'));
  }
  // Said plainly: what this clear left to the origin's other apps.
  if (scoped && (scoped.otherWorkers > 0 || scoped.otherCaches > 0)) parts.push(tr('summaryOtherApps', [String(scoped.otherWorkers), String(scoped.otherCaches)]));
  const freed = freedBytes(report);
  if (freed !== null) parts.push(tr('summaryFreed', formatBytes(freed)));
  if (report.indexedDB.some((d) => d.outcome === 'blocked')) parts.push(tr('summaryBlocked'));
  if (report.pageStep === 'unavailable') parts.push(tr('summaryNoPage'));
  for (const failed of report.failedSteps ?? []) parts.push(tr('summaryStepFailed', [tr(STEP_NAMES[failed.step]), failed.error]));
  return parts.join(' · ');
}

const STEP_NAMES: Record<PageStep, string> = {
  serviceWorkers: 'storeServiceWorkers',
  cacheStorage: 'storeCacheStorage',
  indexedDB: 'storeIndexedDB',
  localStorage: 'storeLocalStorage',
  sessionStorage: 'storeSessionStorage',
};

/** The popup's line for a site whose automatic fixes are paused (core/auto-guard). */
export function pausedMessage(reason: PauseReason, tr: Translate): string {
  if (reason === 'ceiling') return tr('autoPausedCeiling', [String(CEILING), String(WINDOW_MS / 60_000)]);
  return tr(reason === 'still-old' ? 'autoPausedStillOld' : 'autoPausedFailed');
}

export function restrictedMessageKey(reason: RestrictedReason): string {
  return {
    'browser-page': 'restrictedBrowserPage',
    'web-store': 'restrictedWebStore',
    file: 'restrictedFile',
    'no-url': 'restrictedNoUrl',
    'not-http': 'restrictedNotHttp',
  }[reason];
}

export function failureMessage(result: Exclude<ClearResult, { ok: true }>, tr: Translate): string {
  switch (result.error) {
    case 'restricted':
      return tr(restrictedMessageKey(result.reason));
    case 'tab-closed':
      return tr('errorTabClosed');
    case 'busy':
      return tr('errorBusy');
    case 'needs-confirmation':
      return tr('errorNeedsConfirmation', [formatBytes(result.bytes), formatBytes(result.capBytes)]);
    case 'failed':
      return tr('errorFailed', result.detail);
  }
}

export function undoFailureMessage(result: Exclude<UndoResult, { ok: true }>, tr: Translate): string {
  switch (result.error) {
    case 'gone':
      return tr('undoGone');
    case 'no-permission':
      return tr('undoNoPermission');
    case 'tab-closed':
      return tr('errorTabClosed');
    case 'busy':
      return tr('undoBusy');
    case 'blocked':
      return tr('undoBlocked');
    case 'other-partition':
      return tr('undoOtherPartition');
    case 'failed':
      return tr('undoFailed', result.detail ?? '');
  }
}
