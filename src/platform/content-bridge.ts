/**
 * The content script's side of the messaging contract. It talks to the
 * promise-based `chrome.runtime` that both browsers provide in MV3 instead of
 * importing the polyfill: sharing the polyfill chunk with the popup split the
 * popup's bundle into more modules and slowed its first paint (npm run bench).
 */
import type { ContentToBackground } from '../core/messages';

type HistoryReturnAnswer = ContentToBackground['history-return']['response'];

export async function sendHistoryReturn(): Promise<HistoryReturnAnswer | undefined> {
  return (await chrome.runtime.sendMessage({ type: 'history-return' })) as HistoryReturnAnswer | undefined;
}
