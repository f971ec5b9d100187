/**
 * Every difference between Chromium and Firefox that the code has to know about,
 * each with the fact that forces it. Detection is by capability: Chromium 156
 * defines a `browser` global of its own, so its presence proves nothing.
 */
import { browser } from './browser';

/** `runtime.getBrowserInfo` exists only in Firefox (MDN: runtime.getBrowserInfo). */
function isFirefox(): boolean {
  return typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';
}

/**
 * Firefox's `browsingData.remove` takes `hostnames`, not origins, and each type
 * compares them differently (toolkit/components/extensions/parent/ext-browsingData.js):
 * `host:port` scopes cache, localStorage and indexedDB to that port, but matches
 * nothing for serviceWorkers and cookies, and there is no Cache Storage type.
 * Service workers and Cache Storage are therefore cleared inside the page.
 */
export function browsingDataFilter(origin: string, kind: 'port-scoped' | 'cookies'): { origins: string[] } | { hostnames: string[] } {
  if (!isFirefox()) return { origins: [origin] };
  const url = new URL(origin);
  return { hostnames: [kind === 'cookies' ? url.hostname : url.host] };
}

/**
 * A tab's storage partition: a Firefox container or private window
 * (`tab.cookieStoreId`, MDN tabs.Tab), a Chromium incognito window. null is the
 * default one, so backups taken before partitions were recorded belong to it.
 */
export function partitionOf(tab: { cookieStoreId?: string; incognito?: boolean }): string | null {
  if (tab.cookieStoreId !== undefined) return tab.cookieStoreId === 'firefox-default' ? null : tab.cookieStoreId;
  return tab.incognito ? 'incognito' : null;
}

/**
 * What scopes a browser-level removal of site data (IndexedDB, localStorage,
 * cookies) to one partition, or null where none does. Firefox: without
 * `cookieStoreId` a `hostnames` removal reaches every container of the origin;
 * with it only that one (MDN browsingData.RemovalOptions; seen on ESR 153 for
 * IndexedDB and localStorage). Chromium's removal cannot name an incognito
 * window, so there it is refused rather than widened to the normal profile.
 */
export function partitionScope(partition: string | null): { cookieStoreId?: string } | null {
  if (isFirefox()) return { cookieStoreId: partition ?? 'firefox-default' };
  return partition === null ? {} : null;
}

/** Chromium-only data types (Firefox rejects unknown keys in DataTypeSet). */
export function codeCacheTypes(): Record<string, boolean> {
  return isFirefox() ? { cache: true } : { cache: true, cacheStorage: true, serviceWorkers: true };
}

/**
 * A packaged file as `scripting.registerContentScripts` takes it in both browsers.
 * Firefox's `runtime.getManifest()` reports content-script files as absolute
 * moz-extension:// URLs, which registration refuses ("must be a relative URL"),
 * and it resolves a relative path against the calling page (from the options page,
 * "assets/x.js" became "src/options/assets/x.js"); a root-relative "/assets/x.js"
 * means the same file everywhere. Seen on Firefox ESR 153 and Chromium 156.
 */
export function packagePath(file: string): string {
  const base = browser.runtime.getURL('');
  return '/' + (file.startsWith(base) ? file.slice(base.length) : file.replace(/^\//, ''));
}

/**
 * Notification buttons exist in Chromium only: Firefox's notifications.create
 * rejects a `buttons` property (MDN: notifications.NotificationOptions, "buttons:
 * not supported"), so there Undo is offered in the popup.
 */
export function notificationButtons(): boolean {
  return !isFirefox();
}

/**
 * How long an injected call may go on after its tab started loading another
 * document. Firefox ESR 153 never settles `scripting.executeScript` for an async
 * function whose document unloads while it awaits (seen here: an auto-clear's
 * backup outlived a navigation and its call was still pending minutes later);
 * Chromium rejects it ("frame was removed"). A same-document navigation
 * (`pushState`) also reports "loading" in some builds, and its call finishes
 * normally, hence a grace period rather than an immediate abort.
 */
export const UNLOADED_CALL_GRACE_MS = 3000;

/**
 * APIs a browser may lack altogether. Firefox for Android has no `commands`, no
 * `menus`/`contextMenus` and no `storage.managed` (MDN browser-compat-data), and
 * a call on a missing namespace at the background's top level throws and stops
 * every listener registered after it. Each use goes through here.
 */
export function optionalApi<K extends 'commands' | 'contextMenus'>(name: K): (typeof browser)[K] | null {
  return ((browser as unknown as Record<string, unknown>)[name] as (typeof browser)[K] | undefined) ?? null;
}
