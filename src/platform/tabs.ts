import { browser } from './browser';

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
