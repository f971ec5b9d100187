/**
 * Runs at document_start on loopback pages and on the sites the user added. It
 * reads what the document loaded (script, stylesheet and module-preload URLs)
 * and a few tool markers, and tells the background once per load and once per
 * back/forward-cache restore. The background compares that with what the
 * server serves now and answers whether this page should reload: only a page
 * that came back through history AND runs old code is reloaded. While the page
 * stays open it also passes on the signs that its code went out of date
 * (content/page-signals). Nothing else about the page is read.
 */
import { detectApp, inlineVersion, isVersionedUrl } from '../core/fingerprint';
import { isCodeLink } from '../core/html-scan';
import { MAX_REPORTED_ASSETS, MAX_REPORTED_CHARS, MAX_SIZED_CODE_FILES, MAX_URL_LENGTH, type LoadedSizes, type Navigation, type PageReport } from '../core/staleness';
import { onDocumentRequest, sendNoticeClear, sendPageReport, sendPageSignal } from '../platform/content-bridge';
import type { NoticeText } from '../platform/tabs';
import { showStaleNotice } from './stale-notice';
import { readAppMarkers } from './app-markers';
import { watchPageSignals } from './page-signals';

declare global {
  interface Window {
    __stalebusterReporter?: true;
  }
}

function loadedAssets(): string[] {
  const urls = new Set<string>();
  for (const el of document.querySelectorAll<HTMLScriptElement>('script[src]')) urls.add(el.src);
  for (const el of document.querySelectorAll<HTMLLinkElement>('link[href]')) if (isCodeLink(el.rel, el.as)) urls.add(el.href);
  // A tag an app removed after loading it still left its request behind.
  for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    if (entry.initiatorType === 'script' || entry.initiatorType === 'link') urls.add(entry.name);
  }
  // Within what the background accepts: past the bounds, the rest is left out rather than the report refused.
  const kept: string[] = [];
  let chars = 0;
  for (const url of urls) {
    if (!/^https?:/.test(url) || url.length > MAX_URL_LENGTH || chars + url.length > MAX_REPORTED_CHARS) continue;
    kept.push(url);
    chars += url.length;
    if (kept.length === MAX_REPORTED_ASSETS) break;
  }
  return kept;
}

function isNoticeText(text: unknown): text is NoticeText {
  return !!text && typeof text === 'object' && (['title', 'detail', 'reload', 'clear', 'dismiss'] as const).every((k) => typeof (text as Record<string, unknown>)[k] === 'string');
}

/**
 * This document's own id: a reload the background decides for it reaches this document only.
 * Not `crypto.randomUUID()`: it exists only in secure contexts, and a tool on the LAN
 * (`http://192.168.1.50:7860`, `http://gpu-box.local:8188`) is not one, so the script died there.
 */
const DOC_ID = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The decoded sizes the browser measured for this document and for its own
 * origin's code files whose URLs carry no version: for an app that names no
 * build anywhere, what the page loaded is told apart from what the server
 * serves now by size (core/staleness judgeBySize). Nothing is fetched.
 */
function loadedSizes(assets: string[]): LoadedSizes {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const wanted = new Set(assets.filter((url) => new URL(url).origin === location.origin && !isVersionedUrl(url)));
  const code: [string, number][] = [];
  for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    if (!wanted.delete(entry.name) || !(entry.decodedBodySize > 0)) continue;
    code.push([entry.name, entry.decodedBodySize]);
    if (code.length === MAX_SIZED_CODE_FILES) break;
  }
  return { document: nav && nav.decodedBodySize > 0 ? nav.decodedBodySize : null, code };
}

function report(navigation: Navigation): PageReport {
  const text = readAppMarkers(true);
  const assets = loadedAssets();
  return { assets, app: detectApp(text), version: inlineVersion(text), navigation, docId: DOC_ID, loadedAt: Math.round(performance.timeOrigin), sizes: loadedSizes(assets) };
}

function send(navigation: Navigation): void {
  sendPageReport(report(navigation))
    .then((answer) => {
      if (answer?.reload) location.reload();
    })
    .catch(() => undefined); // extension reloaded or updated: nothing to do
}

function firstNavigation(): Navigation {
  const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return entry?.type === 'back_forward' || entry?.type === 'reload' ? entry.type : 'navigate';
}

// Declared and injected on demand: run once per document.
if (!window.__stalebusterReporter) {
  window.__stalebusterReporter = true;
  if (document.readyState === 'loading') {
    // The browser's own event only: a page script can dispatch a fake one before its code has loaded.
    const onReady = (event: Event) => {
      if (!event.isTrusted) return;
      removeEventListener('DOMContentLoaded', onReady);
      send(firstNavigation());
    };
    addEventListener('DOMContentLoaded', onReady);
  } else send(firstNavigation());
  addEventListener('pageshow', (event) => {
    // Only the browser's own restore counts: a page can dispatch a fake "pageshow" (isTrusted false).
    if (event.isTrusted && event.persisted) send('bfcache');
  });
  // An open page whose server is upgraded under it finds out from what it meets (a chunk that is gone,
  // a return into view), never by polling: a page that gives no signal costs no request.
  // The top document's only: a frame is judged when it loads, and acting on the tab is the top page's business.
  if (window === window.top) watchPageSignals((signal) => void sendPageSignal({ signal, docId: DOC_ID }).catch(() => undefined));
  // A reload decided later (a trailing check, auto-clear) for this very document. A tab that shows
  // another document by then has another id (or no listener), so it is never reloaded in this one's place.
  onDocumentRequest((m) => {
    if (m.docId !== DOC_ID) return undefined;
    if (m.type === 'show-notice' && isNoticeText(m.text)) {
      showStaleNotice(m.text, () => void sendNoticeClear(DOC_ID).catch(() => undefined));
      return true;
    }
    // The reply is sent before the document unloads (the listener returns first).
    if (m.type === 'reload-document') setTimeout(() => location.reload(), 0);
    return m.type === 'reload-document' ? true : undefined;
  });
}
