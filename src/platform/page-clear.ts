import type { PageClearResult } from '../core/clear-report';

/**
 * Runs inside the target page via `scripting.executeScript`, so it must not
 * reference anything outside its own body. Working in the page's own origin is
 * what makes the clear port-exact in Firefox, whose browsingData cannot scope
 * service workers to one port and has no Cache Storage type.
 */
/**
 * `scope` (core/clear-report ClearPlan): the origin's apps live under paths;
 * only service workers whose scope, and Cache Storage entries whose URL, lie
 * under `scope.path` (null: anywhere) and under none of `scope.keep` go; the
 * others are counted as kept. Site data is the caller's choice either way (the
 * browser keeps it per origin).
 */
export async function clearInPage(expectedOrigin: string, siteData: boolean, scope: { path: string | null; keep: string[] } | null = null): Promise<PageClearResult | null> {
  // The tab may have navigated between the background's check and this run.
  if (location.origin !== expectedOrigin) return null;
  // As core/app-path appPathOf places a URL: by its parsed path (`/comfy` is the app at `/comfy/`), and only
  // URLs of this origin (a CDN entry in an app's cache belongs to no path of ours, so it stays).
  const under = (pathname: string, path: string) => pathname.startsWith(path) || `${pathname}/` === path;
  const ours = (url: string) => {
    if (scope === null) return true;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.origin !== location.origin) return false;
    return (scope.path === null || under(u.pathname, scope.path)) && !scope.keep.some((k) => under(u.pathname, k));
  };
  let otherWorkers = 0;
  let otherCaches = 0;
  let cacheEntries = 0;
  // Each step stands alone: one that throws (Firefox refuses Cache Storage on http://[::1] with a
  // SecurityError) is reported by name, as plain text, and the others still run. An error object
  // in the result would fail the whole call in Firefox ("non-structured-clonable data").
  const failedSteps: NonNullable<PageClearResult['failedSteps']> = [];
  const step = async <T>(name: NonNullable<PageClearResult['failedSteps']>[number]['step'], fallback: T, work: () => Promise<T> | T): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      failedSteps.push({ step: name, error: String(e instanceof Error ? `${e.name}: ${e.message}` : e).slice(0, 200) });
      return fallback;
    }
  };
  const estimate = async (): Promise<number | null> => {
    try {
      return (await navigator.storage.estimate()).usage ?? null;
    } catch {
      return null;
    }
  };
  const bytesBefore = await estimate();

  // A worker still installing (the browser found an update on the last load) fills its Cache Storage
  // while we clear: seen in Firefox on a busy machine, a `shell-v2` cache reappeared after the clear.
  // Each registration is unregistered once its installing worker is done (at most 2 s), and Cache
  // Storage is deleted after that.
  const settled = (worker: ServiceWorker | null) =>
    !worker || worker.state !== 'installing'
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const done = () => resolve();
          worker.addEventListener('statechange', done, { once: true });
          setTimeout(done, 2000);
        });
  const unregister = async () => {
    if (!('serviceWorker' in navigator)) return 0;
    const all = await navigator.serviceWorker.getRegistrations();
    // A worker's scope is a URL prefix: the app's are those whose scope lies under its path.
    const registrations = all.filter((r) => ours(r.scope));
    otherWorkers = all.length - registrations.length;
    const results = await Promise.all(registrations.map(async (r) => {
      await settled(r.installing);
      return r.unregister();
    }));
    return results.filter(Boolean).length;
  };
  // Unregistering a worker leaves its Cache Storage behind: delete both.
  const deleteCaches = async () => {
    if (typeof caches === 'undefined') return [];
    const names = await caches.keys();
    if (scope === null) {
      await Promise.all(names.map((name) => caches.delete(name)));
      return names;
    }
    // Cache names are the origin's, not an app's: the app's entries go, and a cache only when
    // nothing else was in it. A cache holding another app's entries is kept, without ours.
    const emptied: string[] = [];
    for (const name of names) {
      const cache = await caches.open(name);
      const requests = await cache.keys();
      const mine = requests.filter((r) => ours(r.url));
      for (const r of mine) if (await cache.delete(r)) cacheEntries++;
      if (mine.length > 0 && mine.length === requests.length) {
        await caches.delete(name);
        emptied.push(name);
      } else if (mine.length < requests.length) {
        otherCaches++;
      }
    }
    return emptied;
  };
  const deleteDatabases = async (): Promise<PageClearResult['indexedDB']> => {
    if (!siteData) return [];
    const dbs = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
    return Promise.all(
      // A database may be named "" (a real name): only a missing name is skipped.
      dbs.flatMap(({ name }) => (typeof name === 'string' ? [name] : [])).map(
        (name) =>
          // The app may still hold a connection: the delete then waits ("blocked") and
          // completes when the reload closes it. Report that instead of hanging.
          new Promise<PageClearResult['indexedDB'][number]>((resolve) => {
            const req = indexedDB.deleteDatabase(name);
            req.onsuccess = () => resolve({ name, outcome: 'deleted' });
            req.onerror = () => resolve({ name, outcome: 'error' });
            req.onblocked = () => resolve({ name, outcome: 'blocked' });
          }),
      ),
    );
  };
  // Databases side by side with the workers; Cache Storage once no worker is left to refill it.
  const [serviceWorkers, idb] = await Promise.all([step('serviceWorkers', 0, unregister), step('indexedDB', [] as PageClearResult['indexedDB'], deleteDatabases)]);
  const cacheNames = await step('cacheStorage', [] as string[], deleteCaches);
  const localStorageItems = !siteData
    ? 0
    : await step('localStorage', 0, () => {
        const n = localStorage.length;
        localStorage.clear();
        return n;
      });
  // sessionStorage is not a browsingData type in either browser; it is per tab and never user work.
  const sessionStorageItems = await step('sessionStorage', 0, () => {
    const n = sessionStorage.length;
    sessionStorage.clear();
    return n;
  });

  // Measured here, in the same injection: one round trip less before the reload starts.
  const bytesAfter = await estimate();
  return {
    serviceWorkers, caches: cacheNames, indexedDB: idb, localStorageItems, sessionStorageItems, bytesBefore, bytesAfter,
    ...(failedSteps.length > 0 ? { failedSteps } : {}),
    ...(scope !== null ? { scoped: { path: scope.path, cacheEntries, otherWorkers, otherCaches } } : {}),
  };
}

/**
 * Also injected: unregisters the service workers that can answer this page's
 * next load (those whose scope the page's URL lies under), so that it comes
 * from the network: a paused load must not be answered from a worker's cache,
 * where no header can reach. Workers of other apps of the origin (other paths)
 * that control no paused page stay.
 */
export async function unregisterWorkersInPage(expectedOrigin: string): Promise<number> {
  if (location.origin !== expectedOrigin || !('serviceWorker' in navigator)) return 0;
  let n = 0;
  for (const r of await navigator.serviceWorker.getRegistrations()) if (location.href.startsWith(r.scope) && (await r.unregister())) n++;
  return n;
}

/**
 * Also injected: whether the origin holds site data a backup would keep
 * (localStorage items or IndexedDB databases), and its storage use as the
 * browser estimates it (null where it cannot say). Null when the tab moved on.
 */
export async function siteDataInPage(expectedOrigin: string): Promise<{ any: boolean; usage: number | null } | null> {
  if (location.origin !== expectedOrigin) return null;
  let usage: number | null = null;
  try {
    usage = (await navigator.storage.estimate()).usage ?? null;
  } catch {
    // No estimate in this context.
  }
  let databases: number;
  try {
    databases = typeof indexedDB.databases === 'function' ? (await indexedDB.databases()).length : 1;
  } catch {
    databases = 1; // cannot tell: assume there is something
  }
  return { any: localStorage.length > 0 || databases > 0, usage };
}
