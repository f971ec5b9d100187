import type { ClearResult } from '../core/clear-report';
import { backupLine, failureMessage, summariseReport } from '../core/clear-summary';
import { notificationButtons } from '../platform/compat';
import { records } from '../platform/storage';
import { STORED_ITEMS } from '../core/stored-items';
import { setTabBadge } from '../platform/badge';
import { t, untilTime } from '../platform/i18n';
import { notify } from '../platform/notifications';

/** Which backup a clear notification's Undo button puts back (notification ids are reused per tab). */
export const undoNotices = records(STORED_ITEMS.undoNotice);

const noticeId = (tabId: number) => `clear-${tabId}`;

/** A closed tab's notice goes with it: one record per open tab at most. */
export function forgetNotice(tabId: number): Promise<void> {
  return undoNotices.remove(noticeId(tabId));
}

/**
 * A clear started by key or menu has no popup to answer in: the badge says it
 * happened on that tab and a notification says what was cleared or why not,
 * with an Undo button where the browser has them (Chromium; Firefox: the popup).
 */
export async function announce(tabId: number, result: ClearResult): Promise<void> {
  const id = noticeId(tabId);
  if (result.ok) {
    const { report } = result;
    const host = new URL(report.origin).host;
    const summary = summariseReport(report, t);
    const backup = backupLine(report, t, untilTime);
    await setTabBadge(tabId, '✓', '#1a7f37', `${t('actionTitle')} — ${summary}`);
    const buttons = report.undo && notificationButtons() ? [t('undoButton')] : [];
    const lines = [summary, backup, report.undo && buttons.length === 0 ? t('undoInPopup') : null].filter(Boolean);
    await notify(id, t('notifyClearedTitle', host), lines.join('\n'), buttons);
    if (report.undo && buttons.length > 0) await undoNotices.set(id, { snapshotId: report.undo.id, tabId });
    else await undoNotices.remove(id);
  } else if (result.error !== 'tab-closed') {
    const message = failureMessage(result, t);
    await setTabBadge(tabId, '!', '#b35900', message);
    await notify(id, t('notifyNotClearedTitle'), message);
    await undoNotices.remove(id);
  }
}
