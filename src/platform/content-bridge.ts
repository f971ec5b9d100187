/**
 * The content script's side of the messaging contract. It talks to the
 * promise-based `chrome.runtime` that both browsers provide in MV3 instead of
 * importing the polyfill: sharing the polyfill chunk with the popup split the
 * popup's bundle into more modules and slowed its first paint (npm run bench).
 */
import type { ContentToBackground } from '../core/messages';
import type { PageReport } from '../core/staleness';

type PageReportAnswer = ContentToBackground['page-report']['response'];

export async function sendPageReport(report: PageReport): Promise<PageReportAnswer | undefined> {
  return (await chrome.runtime.sendMessage({ type: 'page-report', ...report })) as PageReportAnswer | undefined;
}

/** The Undo page agent's line to the background (see core/undo-protocol). */
export function connectPort(name: string): chrome.runtime.Port {
  return chrome.runtime.connect({ name });
}
