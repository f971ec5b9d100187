/**
 * In a window without the toolbar (an installed web app, a popup window) the
 * badge and popup are never seen (open-webui#19298, #26731): a page found to run
 * old code gets a small in-page notice instead (content/stale-notice), once per
 * document. Normal tabs keep the badge and popup only.
 */
import type { Verdict } from '../core/staleness';
import { describeStale } from '../core/verdict-text';
import { inWindowWithoutToolbar, showNoticeIn } from '../platform/tabs';
import { t } from '../platform/i18n';

/** After a verdict is stored for the document `docId` of tab `tabId`: the notice, if this is news and no toolbar shows the badge. */
export async function noticeIfNoToolbar(tabId: number, docId: string, verdict: Verdict, previous: Verdict | null): Promise<boolean> {
  if (verdict.state !== 'stale' || previous?.state === 'stale') return false;
  if (!(await inWindowWithoutToolbar(tabId))) return false;
  return showNoticeIn(tabId, docId, {
    title: t('statusStale'),
    detail: t('statusStaleHint', describeStale(verdict, t)),
    reload: t('noticeReload'),
    clear: t('clearAndReload'),
    dismiss: t('noticeDismiss'),
  });
}
