/** The tab in front, for the popup and the shortcut: its own file, so the popup loads nothing else of platform/tabs. */
import { browser } from './browser';

/** The tab in front in the current window (null: none, or one without an id). */
export async function activeTab(): Promise<{ id: number; url: string | undefined } | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id === undefined ? null : { id: tab.id, url: tab.url };
}
