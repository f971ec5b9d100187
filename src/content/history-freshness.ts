/**
 * Runs on loopback pages. A document reached by Back/Forward is taken from the
 * HTTP cache without revalidation, and a back/forward-cache restore is not loaded
 * at all, so an app upgraded meanwhile would come back stale. For a protected
 * origin (the background decides) one normal reload fetches the current app; a
 * reload is not a history navigation, so this cannot loop.
 */
import { sendHistoryReturn } from '../platform/content-bridge';

function onHistoryReturn(): void {
  sendHistoryReturn()
    .then((answer) => {
      if (answer?.reload) location.reload();
    })
    .catch(() => undefined); // extension reloaded or updated: nothing to do
}

const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
if (navigation?.type === 'back_forward') onHistoryReturn();
addEventListener('pageshow', (event) => {
  if (event.persisted) onHistoryReturn();
});
