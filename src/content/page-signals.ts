/**
 * Watches an open page for the signs that its code went out of date while it
 * stayed open (core/page-signals), and tells the background, at most once per
 * burst and never while the page is hidden. Only the browser's own events count
 * (`isTrusted`); nothing of the page is read but the failed URL's origin and
 * file name.
 */
import { failedImportUrl, isOwnCodeFailure, SIGNAL_GATHER_MS, type PageSignal } from '../core/page-signals';
import { isCodeLink } from '../core/html-scan';

export function watchPageSignals(send: (signal: PageSignal) => void): void {
  let pending: PageSignal | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    // A hidden page waits: the signal goes when the user can see the page again.
    if (pending === null || document.visibilityState !== 'visible') return;
    const signal = pending;
    pending = null;
    send(signal);
  };
  const raise = (signal: PageSignal) => {
    // A failure outranks a return into view: it asks the server afresh.
    pending = pending === 'code-failed' ? pending : signal;
    timer ??= setTimeout(flush, SIGNAL_GATHER_MS);
  };
  // Each failed file counts once per document: a plugin's file that is simply missing, failing on every
  // route, is one sign, not one every few seconds for as long as the page stays open.
  const failed = new Set<string>();
  const codeFailed = (url: string | null, kind: Parameters<typeof isOwnCodeFailure>[2]) => {
    if (!url || failed.has(url) || failed.size >= 100 || !isOwnCodeFailure(url, location.origin, kind)) return;
    failed.add(url);
    raise('code-failed');
  };

  // A <script> or <link> that failed to load: its error event does not bubble, so it is caught on the way down.
  addEventListener(
    'error',
    (event) => {
      if (!event.isTrusted) return;
      const target = event.target;
      if (target instanceof HTMLScriptElement && target.src) codeFailed(target.src, 'script');
      else if (target instanceof HTMLLinkElement && isCodeLink(target.rel, target.as)) codeFailed(target.href, target.rel.includes('stylesheet') ? 'style' : 'module');
      // An uncaught failed import in a module script surfaces as an ErrorEvent naming the module.
      else if (event instanceof ErrorEvent) codeFailed(failedImportUrl(String(event.message)), 'module');
    },
    true,
  );
  // A lazy chunk that 404s: import() rejects, and an app that does not catch it leaves an unhandled rejection.
  addEventListener('unhandledrejection', (event) => {
    if (!event.isTrusted) return;
    // The page's own Error, not this script's: read by shape (Firefox hands it over through an Xray,
    // which shows an Error's message; Chromium shows another world's rejection reason as undefined,
    // and the failed resource below tells instead).
    const reason: unknown = event.reason;
    const message = typeof reason === 'string' ? reason : reason && typeof reason === 'object' ? String((reason as { message?: unknown }).message ?? '') : '';
    codeFailed(failedImportUrl(message), 'module');
  });
  // An app that catches its failed import still left a resource with an error status behind (where the
  // browser reports PerformanceResourceTiming.responseStatus: the Chromium and Firefox ESR tested here do;
  // e2e/open-tabs "is caught by the app" passes only through it).
  if (typeof PerformanceObserver === 'function' && PerformanceObserver.supportedEntryTypes?.includes('resource')) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceResourceTiming & { responseStatus?: number })[]) {
        const status = entry.responseStatus ?? 0;
        if (status < 400) continue;
        // Only a script tag vouches for what it loads; anything else (a link may be a missing favicon, a
        // stylesheet's font) counts when its file name says code. fetch() and XHR calls never do.
        if (entry.initiatorType === 'fetch' || entry.initiatorType === 'xmlhttprequest') continue;
        codeFailed(entry.name, entry.initiatorType === 'script' ? 'script' : 'other');
      }
    }).observe({ type: 'resource' });
  }
  addEventListener('visibilitychange', (event) => {
    if (!event.isTrusted || document.visibilityState !== 'visible') return;
    // Anything gathered while hidden goes with it.
    raise('visible');
  });
}
