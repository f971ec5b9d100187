import type { ClearResult } from '../core/clear-report';
import { failureMessage, summariseReport } from '../core/clear-summary';
import { notify, setTabBadge, t } from '../platform/ui-surface';

/**
 * A clear started by key or menu has no popup to answer in: the badge says it
 * happened on that tab and a notification says what was cleared or why not.
 */
export async function announce(tabId: number, result: ClearResult): Promise<void> {
  if (result.ok) {
    const host = new URL(result.report.origin).host;
    const summary = summariseReport(result.report, t);
    await setTabBadge(tabId, '✓', '#1a7f37', `${t('actionTitle')} — ${summary}`);
    await notify(`clear-${tabId}`, t('notifyClearedTitle', host), summary);
  } else if (result.error !== 'tab-closed') {
    const message = failureMessage(result, t);
    await setTabBadge(tabId, '!', '#b35900', message);
    await notify(`clear-${tabId}`, t('notifyNotClearedTitle'), message);
  }
}
