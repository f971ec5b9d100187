/**
 * The content script's side of the messaging contract. It talks to the
 * promise-based `chrome.runtime` that both browsers provide in MV3 instead of
 * importing the polyfill: sharing the polyfill chunk with the popup split the
 * popup's bundle into more modules and slowed its first paint (npm run bench).
 */
import type { ContentResponseOf } from '../core/commands';
import type { SignalMessage } from '../core/page-signals';
import type { PageReport } from '../core/staleness';

type PageReportAnswer = ContentResponseOf<'page-report'>;

export async function sendPageReport(report: PageReport): Promise<PageReportAnswer | undefined> {
  return (await chrome.runtime.sendMessage({ type: 'page-report', ...report })) as PageReportAnswer | undefined;
}

/** A sign that this open page's code may have gone out of date (core/page-signals); nothing comes back. */
export async function sendPageSignal(signal: SignalMessage): Promise<void> {
  await chrome.runtime.sendMessage({ type: 'page-signal', ...signal });
}

/** Clear & reload pressed in this document's in-page notice (content/stale-notice). */
export async function sendNoticeClear(docId: string): Promise<void> {
  await chrome.runtime.sendMessage({ type: 'notice-clear', docId });
}

/** The Undo page agent's line to the background (see core/undo-protocol). */
export function connectPort(name: string): chrome.runtime.Port {
  return chrome.runtime.connect({ name });
}

/**
 * Requests from the background about this very document (see platform/tabs
 * reloadDocument). Only the extension itself is listened to; `answer` returns
 * what to reply, or undefined to stay silent.
 */
export function onDocumentRequest(answer: (request: { type?: unknown; docId?: unknown; text?: unknown }) => boolean | undefined): void {
  chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || !message || typeof message !== 'object') return undefined;
    const reply = answer(message as { type?: unknown; docId?: unknown; text?: unknown });
    if (reply !== undefined) sendResponse(reply);
    return undefined;
  });
}

/**
 * The page's own view of an object the page's IndexedDB handed this script.
 * Firefox shows a content script page objects through Xray wrappers, which hide
 * own keys named like Object.prototype's (`constructor`, `toString`…), boxed
 * primitives, `__proto__` own keys and BigInt64/BigUint64/Float16 arrays
 * (MDN: "Sharing objects with page scripts", Xray vision); a structured clone
 * of the Xray view silently drops them. `XPCNativeWrapper.unwrap` waives the
 * Xray, so the clone reads what the page stored. Chromium's isolated world has
 * no wrappers: the value is already this script's own.
 */
export function pageView<T>(value: T): T {
  const xpc = (globalThis as { XPCNativeWrapper?: { unwrap<U>(v: U): U } }).XPCNativeWrapper;
  return xpc && value !== null && typeof value === 'object' ? xpc.unwrap(value) : value;
}
