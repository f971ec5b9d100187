import type { ClearPlan, PageClearResult } from '../core/clear-report';
import type { Origin } from '../core/origin';
import { browser, type BrowsingData } from './browser';
import { UNLOADED_CALL_GRACE_MS, browsingDataFilter, codeCacheTypes, partitionScope } from './compat';
import { clearInPage, siteDataInPage, unregisterWorkersInPage } from './page-clear';
import { tabUrl } from './tabs';

export class TabGoneError extends Error {
  constructor(tabId: number) {
    super(`tab ${tabId} is gone`);
  }
}

/** The tab started loading another document while a call into its page was under way. */
export class TabNavigatedError extends Error {
  constructor(tabId: number) {
    super(`tab ${tabId} loaded another page during the call`);
  }
}

/**
 * `work` (calls into the tab's page), ended early when the page it runs in goes
 * away: the tab closing rejects with TabGoneError at once; the tab loading
 * another document, with TabNavigatedError if `work` has not settled by the
 * grace period (see compat: Firefox never settles such a call).
 */
export function whilePageStays<T>(tabId: number, work: Promise<T>, graceMs = UNLOADED_CALL_GRACE_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let grace: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(grace);
      browser.tabs.onUpdated.removeListener(onUpdated);
      browser.tabs.onRemoved.removeListener(onRemoved);
    };
    const onUpdated = (id: number, info: { status?: string }) => {
      if (id !== tabId || info.status !== 'loading' || grace !== undefined) return;
      grace = setTimeout(() => {
        done();
        reject(new TabNavigatedError(tabId));
      }, graceMs);
    };
    const onRemoved = (id: number) => {
      if (id !== tabId) return;
      done();
      reject(new TabGoneError(tabId));
    };
    browser.tabs.onUpdated.addListener(onUpdated);
    browser.tabs.onRemoved.addListener(onRemoved);
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

/** Tab errors come back as plain messages; these are the ones that mean "closed or navigated away". */
const TAB_GONE = /no tab with id|tab not found|invalid tab id|frame with id 0|cannot access contents of the page|the frame was removed|missing host permission/i;

async function tabOrigin(tabId: number): Promise<Origin | null> {
  const url = await tabUrl(tabId);
  if (url === null) throw new TabGoneError(tabId);
  return url ? new URL(url).origin : null;
}

/**
 * Runs `func` in the tab's top frame only if the tab still shows `origin`: a tab
 * that navigated elsewhere must never get another origin's data cleared. The
 * injected functions check `location.origin` themselves too, which closes the
 * gap between this check and the injection.
 */
async function runInOrigin<T>(tabId: number, origin: Origin, func: (origin: string, ...args: never[]) => Promise<T | null>, args: unknown[]): Promise<T | null> {
  if ((await tabOrigin(tabId)) !== origin) return null;
  try {
    const [result] = await whilePageStays(
      tabId,
      browser.scripting.executeScript({
        target: { tabId },
        func: func as () => Promise<T>,
        args: [origin, ...args] as unknown as [],
      }),
    );
    return (result?.result as T | undefined) ?? null;
  } catch (e) {
    // The page this ran in is gone; whatever it did is not known, which is the same as not run.
    if (e instanceof TabNavigatedError) return null;
    if (TAB_GONE.test(String(e))) {
      await tabOrigin(tabId); // throws TabGoneError if it is really closed
      return null; // an error page or a page we may not script: the browser-level step still runs
    }
    throw e;
  }
}

/**
 * Runs scripting work against a tab that must still show `origin`: null when it
 * shows another origin now, TabGoneError when it closed. Other scripting errors
 * (an error page, a page we may not script) come back as they are.
 */
export async function inTabOf<T>(tabId: number, origin: Origin, work: () => Promise<T>): Promise<T | null> {
  if ((await tabOrigin(tabId)) !== origin) return null;
  try {
    return await whilePageStays(tabId, work());
  } catch (e) {
    if (TAB_GONE.test(String(e))) await tabOrigin(tabId); // throws TabGoneError if it is really closed
    throw e;
  }
}

/** Whether the origin holds site data, and its storage use as the browser estimates it (see siteDataInPage). */
export async function siteDataOf(tabId: number, origin: Origin): Promise<{ any: boolean; usage: number | null } | null> {
  return runInOrigin(tabId, origin, siteDataInPage as never, []);
}

/** Unregisters the origin's service workers from inside the page (see unregisterWorkersInPage). */
export async function unregisterWorkers(tabId: number, origin: Origin): Promise<number | null> {
  return runInOrigin(tabId, origin, unregisterWorkersInPage as never, []);
}

export async function clearPageStores(tabId: number, origin: Origin, plan: ClearPlan): Promise<PageClearResult | null> {
  return runInOrigin(tabId, origin, clearInPage, [plan.siteData, plan.scope ?? null]);
}

/** The HTTP cache of one origin, which no page can clear itself. */
export async function clearHttpCache(origin: Origin): Promise<void> {
  await browser.browsingData.remove(browsingDataFilter(origin, 'port-scoped') as BrowsingData.RemovalOptions, { cache: true });
}

/**
 * The browser-level part of a clear, scoped to one origin (see compat for
 * Firefox's hostnames). After the in-page step has run it only has to do what
 * a page cannot: the HTTP cache, and a database the app held open (the browser
 * closes its connections). Without the in-page step it clears every type.
 * `httpCacheCleared`: the caller already cleared the HTTP cache (side by side
 * with the page step).
 */
/**
 * `partition`: the tab's storage partition (compat.partitionOf). Site data is
 * removed by the browser only within it; where the browser cannot scope a
 * removal to it, site data is left to the page step (refused, never widened).
 */
export async function clearBrowserStores(
  origin: Origin,
  plan: ClearPlan,
  page: PageClearResult | null = null,
  opts: { httpCacheCleared?: boolean; partition?: string | null } = {},
): Promise<void> {
  // An app under a path: no browser type is scoped to a path, so the browser clears none of the
  // origin's code stores (other apps keep theirs); the page step and the hard reload do the app's.
  const scoped = plan.scope !== undefined;
  const types: Record<string, boolean> = scoped ? {} : page ? { cache: true } : { ...codeCacheTypes() };
  // A step that failed in the page is done by the browser where it can scope it to the origin (Chromium).
  const failed = new Set(page?.failedSteps?.map((f) => f.step));
  const browserCan = codeCacheTypes();
  if (!scoped && failed.has('serviceWorkers') && browserCan.serviceWorkers) types.serviceWorkers = true;
  if (!scoped && failed.has('cacheStorage') && browserCan.cacheStorage) types.cacheStorage = true;
  if (plan.siteData && failed.has('localStorage')) types.localStorage = true;
  if (plan.siteData && failed.has('indexedDB')) types.indexedDB = true;
  if (plan.siteData && !page) Object.assign(types, { localStorage: true, indexedDB: true });
  if (plan.siteData && page?.indexedDB.some((d) => d.outcome !== 'deleted')) types.indexedDB = true;
  if (opts.httpCacheCleared) delete types.cache;
  const scope = partitionScope(opts.partition ?? null);
  const siteTypes: Record<string, boolean> = {};
  // Scoped by nothing more than the origin (Chromium's default profile): one removal, as it always was.
  if (!scope || Object.keys(scope).length > 0) {
    for (const type of ['localStorage', 'indexedDB'] as const) {
      if (types[type]) siteTypes[type] = true;
      delete types[type];
    }
  }
  // The polyfill's types predate Chromium's `origins` filter; both shapes are documented API.
  const filter = (kind: 'port-scoped' | 'cookies', extra: object = {}) => ({ ...browsingDataFilter(origin, kind), ...extra }) as BrowsingData.RemovalOptions;
  if (Object.keys(types).length > 0) await browser.browsingData.remove(filter('port-scoped'), types);
  if (scope && Object.keys(siteTypes).length > 0) await browser.browsingData.remove(filter('port-scoped', scope), siteTypes);
  if (scope && plan.cookies) await browser.browsingData.remove(filter('cookies', scope), { cookies: true });
}

/**
 * Waits (bounded) until a tab has finished loading a document of `origin`. A
 * script injected into a document that is still being replaced may run in the
 * old one, and Firefox shows no URL for a tab until its new document commits.
 * False when the tab closed, settled on another origin, or never settled.
 */
export async function tabSettledOn(tabId: number, origin: Origin, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tab = await browser.tabs.get(tabId).catch(() => null);
    if (!tab) return false;
    if (tab.status === 'complete' && tab.url) return new URL(tab.url).origin === origin;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * Reloads past every cache and waits until that new document has loaded (not
 * the one that was there: a background tab may not even have started loading
 * when reload() resolves). False when the tab closed, ended on another origin,
 * or took longer than `timeoutMs`.
 */
export function reloadAndSettle(tabId: number, origin: Origin, timeoutMs = 15_000): Promise<boolean> {
  return new Promise((resolve) => {
    let started = false;
    let finished = false;
    const finish = (ok: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      browser.tabs.onUpdated.removeListener(onUpdated);
      browser.tabs.onRemoved.removeListener(onRemoved);
      resolve(ok);
    };
    const onUpdated = (id: number, info: { status?: string }, tab: { url?: string }) => {
      if (id !== tabId) return;
      if (info.status === 'loading') started = true;
      else if (info.status === 'complete' && started) finish(!!tab.url && new URL(tab.url).origin === origin);
    };
    const onRemoved = (id: number) => {
      if (id === tabId) finish(false);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    browser.tabs.onUpdated.addListener(onUpdated);
    browser.tabs.onRemoved.addListener(onRemoved);
    browser.tabs.reload(tabId, { bypassCache: true }).catch(() => finish(false));
  });
}

export async function hardReload(tabId: number): Promise<void> {
  try {
    await browser.tabs.reload(tabId, { bypassCache: true });
  } catch {
    throw new TabGoneError(tabId);
  }
}
