/**
 * Apps under a path: several tools behind one reverse proxy (`/comfy/`,
 * `/other/`, JupyterHub's `/user/<name>/`) share one origin. A protected site
 * may name a path prefix; what Stalebuster can scope to that path (freshness
 * rules, the detector's and the version check's requests, service workers,
 * Cache Storage entries) is scoped to it, and what the browser only keeps per
 * origin (localStorage, IndexedDB, cookies) is said to be shared.
 */
import { parseOriginInput, type Origin, type OriginError } from './origin';

/** A path prefix as stored: starts and ends with `/`, never `/` alone (that is the whole origin). */
export type AppPath = string;

export const MAX_APP_PATH_LENGTH = 200;
/** Per origin: a reverse proxy in front of a handful of apps, not a site map. */
export const MAX_APP_PATHS = 20;

export type SiteInputError = OriginError | 'bad-path';

export type SiteInput = { ok: true; origin: Origin; path: AppPath | null } | { ok: false; error: SiteInputError };

/**
 * What a user types for a protected site: an origin ("gpu-box.local:8188"),
 * or an origin and the path an app lives under ("https://lab.example/comfy/").
 * An app lives in a directory: the path up to its last `/` counts, so a page's
 * address pasted from the address bar (`…:7860/index.html`, `…/comfy`) names
 * the directory it is in, the whole origin for a page at the root. The query
 * and fragment are not part of an app's address and are dropped.
 */
export function parseSiteInput(raw: string): SiteInput {
  const origin = parseOriginInput(raw);
  if (!origin.ok) return origin;
  const path = directoryAppPath(typedPathname(raw)!);
  if (path === undefined) return { ok: false, error: 'bad-path' };
  return { ok: true, origin: origin.origin, path };
}

/** The path of an address as typed (no scheme: http), as the URL parser reads it (`\\` is a `/` there); null if it is none. */
function typedPathname(raw: string): string | null {
  const input = raw.trim();
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input}`).pathname;
  } catch {
    return null;
  }
}

/** Whether a typed address goes past its origin's root (`…/comfy`, `…/index.html`, `…/comfy/`). */
export function namesAPage(raw: string): boolean {
  const pathname = typedPathname(raw);
  return pathname !== null && pathname !== '/';
}

/**
 * `/comfy` and `/comfy/` are the same app (a proxy redirects one to the
 * other); `/` is the whole origin (null). Undefined for what no app lives
 * under: too long, or with characters a URL would have escaped.
 */
export function normaliseAppPath(pathname: string): AppPath | null | undefined {
  if (!pathname.startsWith('/') || pathname.length > MAX_APP_PATH_LENGTH) return undefined;
  // What URL parsing leaves in a pathname, minus wildcards: a prefix is a literal.
  if (!/^[A-Za-z0-9\-._~!$&'()+,;=:@%/]*$/.test(pathname) || pathname.includes('//')) return undefined;
  // Escapes are whole (`%2F`), never a lone `%`.
  if (/%(?![0-9A-Fa-f]{2})/.test(pathname)) return undefined;
  const path = pathname.endsWith('/') ? pathname : `${pathname}/`;
  // Only a path as a URL spells it: `/../`, `/./` and `/%2e%2e/` are resolved away in every URL the
  // browser loads, so a rule or a prefix written with them would never match (or match another app).
  if (new URL(path, 'http://h').pathname !== path) return undefined;
  return path === '/' ? null : path;
}

/** The directory a page's path lies in, as an app path (`/other/x.html` → `/other/`; null at the root). */
export function directoryAppPath(pathname: string): AppPath | null | undefined {
  return normaliseAppPath(pathname.slice(0, pathname.lastIndexOf('/') + 1));
}

export function isAppPath(value: string): boolean {
  return normaliseAppPath(value) === value && value !== '/';
}

/**
 * The app a URL belongs to among an origin's declared paths: the longest prefix
 * it lies under (`/comfy` itself counts for `/comfy/`). Null: none, the whole
 * origin applies.
 */
export function appPathOf(paths: readonly AppPath[] | undefined, url: string): AppPath | null {
  if (!paths || paths.length === 0) return null;
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return null;
  }
  let best: AppPath | null = null;
  for (const p of paths) {
    if ((pathname.startsWith(p) || `${pathname}/` === p) && (best === null || p.length > best.length)) best = p;
  }
  return best;
}

/**
 * What a site's own records (its version, its last clear report) are kept
 * under: its origin, or for an app under a path its address (two apps behind
 * one proxy have two of each).
 */
export function siteKey(origin: Origin, path: AppPath | null | undefined): string {
  return path ? `${origin}${path}` : origin;
}

/** The address of an app: its origin and path, or the origin's root. */
export function appBase(origin: Origin, path: AppPath | null): string {
  return `${origin}${path ?? '/'}`;
}

/**
 * Declared apps nested under `path` (`/comfy/sub/` under `/comfy/`), or every
 * declared app for the rest of the origin (`path` null): what a clear of
 * `path` must leave alone.
 */
export function otherAppsWithin(paths: readonly AppPath[], path: AppPath | null): AppPath[] {
  return paths.filter((p) => p !== path && (path === null || p.startsWith(path)));
}
