import { classifyTabUrl, type Origin } from '../core/origin';
import { browser } from './browser';
import { partitionOf } from './compat';
import { readAppMarkers } from '../content/app-markers';

/**
 * A tab's URL: undefined when the tab exists but its URL is hidden from us (no
 * host access, or Firefox before the new document commits), null when the tab
 * is gone. The one place that tells those two apart.
 */
export async function tabUrl(tabId: number): Promise<string | undefined | null> {
  try {
    return (await browser.tabs.get(tabId)).url;
  } catch {
    return null;
  }
}

/** The tab's storage partition (compat.partitionOf); undefined when the tab is gone. */
export async function tabPartition(tabId: number): Promise<string | null | undefined> {
  try {
    return partitionOf(await browser.tabs.get(tabId));
  } catch {
    return undefined;
  }
}

/**
 * Open tabs by origin, of one storage partition if `partition` is given (see
 * compat.partitionOf). Without the "tabs" permission only host-permitted tabs
 * carry a URL, which is all we act on.
 */
export async function tabsByOrigin(partition?: string | null): Promise<Map<Origin, number[]>> {
  const byOrigin = new Map<Origin, number[]>();
  for (const tab of await browser.tabs.query({})) {
    const target = classifyTabUrl(tab.url);
    if (tab.id === undefined || target.kind !== 'site') continue;
    if (partition !== undefined && partitionOf(tab) !== partition) continue;
    byOrigin.set(target.origin, [...(byOrigin.get(target.origin) ?? []), tab.id]);
  }
  return byOrigin;
}

/**
 * Has the document `docId` in the tab's top frame reload itself (its content
 * script answers only to its own id; see content/page-report). False when the
 * tab shows another document by now, sits in the back/forward cache (no message
 * reaches a cached page), or is gone: then nothing reloaded.
 */
export async function reloadDocument(tabId: number, docId: string): Promise<boolean> {
  // The document reloads itself: asking it first and reloading the tab after would leave a gap in
  // which a navigation the user started commits, and the reload would hit that page instead.
  try {
    return (await browser.tabs.sendMessage(tabId, { type: 'reload-document', docId }, { frameId: 0 })) === true;
  } catch {
    return false;
  }
}

/** What an in-page notice says (see content/stale-notice), in the user's language. */
export interface NoticeText {
  title: string;
  detail: string;
  reload: string;
  clear: string;
  dismiss: string;
}

/** Has the document `docId` show the in-page notice; false when the tab shows another document by now. */
export async function showNoticeIn(tabId: number, docId: string, text: NoticeText): Promise<boolean> {
  try {
    return (await browser.tabs.sendMessage(tabId, { type: 'show-notice', docId, text }, { frameId: 0 })) === true;
  } catch {
    return false;
  }
}

/**
 * Whether the tab sits in a window without the toolbar, where the badge and
 * popup are never seen: an installed web app (Chromium reports its window as
 * `app`) or a popup window (`popup`, both browsers). `windows.Window.type`,
 * MDN and developer.chrome.com.
 */
export async function inWindowWithoutToolbar(tabId: number): Promise<boolean> {
  try {
    const tab = await browser.tabs.get(tabId);
    if (tab.windowId === undefined) return false;
    const type = (await browser.windows.get(tab.windowId)).type;
    return type !== undefined && type !== 'normal';
  } catch {
    return false;
  }
}

/** The user switched to tab `tabId` (a look at it). */
export function onTabActivated(listener: (info: { tabId: number }) => void): void {
  browser.tabs.onActivated.addListener(listener);
}

export function onTabRemoved(listener: (tabId: number) => void): void {
  browser.tabs.onRemoved.addListener((tabId) => listener(tabId));
}

/** The tab is still loading its document (false when it is gone). */
export async function tabLoading(tabId: number): Promise<boolean> {
  try {
    return (await browser.tabs.get(tabId)).status === 'loading';
  } catch {
    return false;
  }
}

/** Opens a tab in the front (Undo of a site with no tab left). */
export async function openTab(url: string): Promise<number> {
  const tab = await browser.tabs.create({ url, active: true });
  if (tab.id === undefined) throw new Error('the browser opened no tab');
  return tab.id;
}

/**
 * What the tab's top document shows of a known tool (content/app-markers), read
 * in the page with the access the user's click on the toolbar button grants
 * (activeTab); null when the page may not be read or gives no answer.
 */
export async function tabAppMarkers(tabId: number): Promise<string | null> {
  try {
    const [result] = await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, func: readAppMarkers, args: [false] });
    return typeof result?.result === 'string' ? result.result.slice(0, 2_000_000) : null;
  } catch {
    return null;
  }
}
