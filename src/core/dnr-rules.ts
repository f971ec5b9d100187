import { KNOWN_PORTS } from './known-tools';
import { appPathOf, type AppPath } from './app-path';
import type { Origin } from './origin';
import { LOOPBACK_HOSTS, hostPatternFor, isLoopbackHost } from './permissions';
import { siteOptions, type CacheMode, type Settings } from './settings';

/** The subset of the DNR rule shape both browsers accept; kept local so core has no browser types. */
export interface HeaderOp {
  header: string;
  operation: 'set' | 'remove';
  value?: string;
}
export interface DnrRule {
  id: number;
  priority: number;
  action:
    | { type: 'modifyHeaders'; requestHeaders: HeaderOp[]; responseHeaders: HeaderOp[] }
    | { type: 'allow' };
  condition: { urlFilter?: string; regexFilter?: string; requestDomains?: string[]; resourceTypes: string[]; isUrlFilterCaseSensitive?: boolean };
}

/**
 * Every type a page loads code or data with. `main_frame` must be named explicitly
 * or navigations are not matched (both browsers).
 */
const RESOURCE_TYPES = [
  'main_frame', 'sub_frame', 'stylesheet', 'script', 'image', 'font',
  'object', 'xmlhttprequest', 'ping', 'media', 'other',
];

/**
 * Higher wins; an `allow` stops every modifyHeaders rule of lower priority.
 * Bypass origins sit above the hashed-asset allow: "always download" means all files.
 */
const PRIORITY = { allLoopback: 1, origin: 2, paused: 3, hashedAsset: 4, bypassOrigin: 5 } as const;

/**
 * A content-hashed bundle (`index-3f2a9c01.js`, `main.5XTU2QTH.css`) cannot be
 * stale: new code gets a new name, which the revalidated HTML points to. Letting
 * the browser serve those straight from its cache keeps a warm load of a large
 * app near cached speed instead of one 304 round trip per file.
 *
 * The hash is the last `-` or `.` segment before the extension: 8 or more word
 * characters with a digit among the first eight (so `vendor-polyfills.js` and
 * `app-v2.js` stay revalidated; a hash with no digit there is merely revalidated).
 * One pattern per digit position: RE2, Chromium's DNR regex engine, has no
 * lookahead, and the combined pattern exceeds its per-rule memory limit.
 */
const WORD = '[A-Za-z0-9_]';
export const HASHED_ASSET_REGEXES = Array.from(
  { length: 8 },
  (_, i) => `/[^/?#]*[-.]${WORD}{${i}}[0-9]${WORD}{${7 - i},}\\.(?:m?js|css)(?:[?#][^/]*)?$`,
);

/**
 * Chromium's HTTP cache keeps the server's original headers, so only the REQUEST
 * header decides there (max-age=0 revalidates, no-cache bypasses). The response
 * rewrite is for Firefox's cache, which stores rewritten headers, and for Blink's
 * memory cache, which sees only response headers.
 */
export function headersFor(mode: CacheMode): { requestHeaders: HeaderOp[]; responseHeaders: HeaderOp[] } {
  if (mode === 'bypass') {
    return {
      requestHeaders: [
        { header: 'cache-control', operation: 'set', value: 'no-cache' },
        { header: 'pragma', operation: 'set', value: 'no-cache' },
      ],
      responseHeaders: [
        { header: 'cache-control', operation: 'set', value: 'no-store' },
        { header: 'expires', operation: 'remove' },
      ],
    };
  }
  return {
    requestHeaders: [{ header: 'cache-control', operation: 'set', value: 'max-age=0' }],
    responseHeaders: [
      { header: 'cache-control', operation: 'set', value: 'no-cache' },
      { header: 'expires', operation: 'remove' },
    ],
  };
}

export function knownPortOrigins(): Origin[] {
  return LOOPBACK_HOSTS.flatMap((host) => KNOWN_PORTS.map((port) => `http://${host}:${port}`));
}

/** User-added origins whose host permission is granted: only those can have rules. */
function grantedCustomOrigins(settings: Settings, granted: ReadonlySet<Origin>): Origin[] {
  return settings.customOrigins.filter((o) => granted.has(o));
}

/** Loopback origins recognised as AI tools; they count while "protect recognised tools" is on. */
export function foundOrigins(settings: Settings): Origin[] {
  return settings.autoProtect ? settings.foundOrigins : [];
}

/** Origins listed by name (known ports, found tools, user-added ones that are granted, per-site overrides on loopback). */
function listedOrigins(settings: Settings, granted: ReadonlySet<Origin>): Origin[] {
  const set = new Set<Origin>();
  if (settings.protectKnownPorts) knownPortOrigins().forEach((o) => set.add(o));
  foundOrigins(settings).forEach((o) => set.add(o));
  grantedCustomOrigins(settings, granted).forEach((o) => set.add(o));
  if (settings.allLoopbackPorts) {
    Object.keys(settings.sites).filter((o) => coveredByAllLoopback(settings, o)).forEach((o) => set.add(o));
  }
  return [...set].sort();
}

/** The origin is one of the loopback hosts and "all loopback ports" is on. */
export function coveredByAllLoopback(settings: Settings, origin: Origin): boolean {
  if (!settings.allLoopbackPorts) return false;
  return isLoopbackHost(new URL(origin).hostname);
}

/**
 * Whether a page of `origin` gets fresh-loading headers under these settings;
 * with `url`, that page: on an origin whose apps live under paths, only their
 * pages do (buildRules).
 */
export function isProtected(settings: Settings, origin: Origin, granted: ReadonlySet<Origin>, url?: string): boolean {
  if (!siteOptions(settings, origin).protect) return false;
  if (coveredByAllLoopback(settings, origin)) return true;
  if (!listedOrigins(settings, granted).includes(origin)) return false;
  return url === undefined || !settings.appPaths[origin]?.length || appPathOf(settings.appPaths[origin], url) !== null;
}

/**
 * Builds the complete dynamic rule set. Ids are dense from 1, so replacing the
 * old set in one `updateDynamicRules` call is atomic and never collides.
 */
export function buildRules(settings: Settings, granted: ReadonlySet<Origin>): DnrRule[] {
  const rules: Omit<DnrRule, 'id'>[] = [];
  if (settings.allLoopbackPorts) {
    rules.push({
      priority: PRIORITY.allLoopback,
      action: { type: 'modifyHeaders', ...headersFor(settings.defaults.mode) },
      condition: { requestDomains: [...LOOPBACK_HOSTS], resourceTypes: RESOURCE_TYPES },
    });
  }
  for (const origin of listedOrigins(settings, granted)) {
    const opts = siteOptions(settings, origin);
    const covered = coveredByAllLoopback(settings, origin);
    if (!opts.protect) {
      if (covered) {
        rules.push({
          priority: PRIORITY.paused,
          action: { type: 'allow' },
          condition: { urlFilter: urlFilterFor(origin), resourceTypes: RESOURCE_TYPES },
        });
      }
      continue;
    }
    if (covered && opts.mode === settings.defaults.mode && opts.mode === 'revalidate') continue;
    // Apps under a path: only their paths get the headers, unless every loopback port is protected anyway.
    const paths: readonly (AppPath | null)[] = covered || !settings.appPaths[origin]?.length ? [null] : settings.appPaths[origin];
    for (const path of paths) {
      rules.push({
        priority: opts.mode === 'bypass' ? PRIORITY.bypassOrigin : PRIORITY.origin,
        action: { type: 'modifyHeaders', ...headersFor(opts.mode) },
        // A path is case-sensitive (`/COMFY/` is another app, and the in-page clear compares exactly); URL
        // filters are not by default in either browser.
        condition: { urlFilter: urlFilterFor(origin, path), resourceTypes: RESOURCE_TYPES, ...(path ? { isUrlFilterCaseSensitive: true } : {}) },
      });
    }
  }
  const hosts = protectedHosts(settings, granted);
  if (hosts.length > 0) {
    for (const regexFilter of HASHED_ASSET_REGEXES) {
      rules.push({
        priority: PRIORITY.hashedAsset,
        action: { type: 'allow' },
        condition: { regexFilter, requestDomains: hosts, resourceTypes: ['script', 'stylesheet'] },
      });
    }
  }
  return rules.map((rule, i) => ({ id: i + 1, ...rule }));
}

function protectedHosts(settings: Settings, granted: ReadonlySet<Origin>): string[] {
  const hosts = new Set<string>();
  if (settings.protectKnownPorts || settings.allLoopbackPorts) LOOPBACK_HOSTS.forEach((h) => hosts.add(h));
  foundOrigins(settings).forEach((o) => hosts.add(new URL(o).hostname));
  grantedCustomOrigins(settings, granted).forEach((o) => hosts.add(new URL(o).hostname));
  return [...hosts].sort();
}

/**
 * `|http://localhost:7860/` matches that port only; the trailing slash stops `:78600`.
 * With an app path, `|http://lab:8080/comfy/` matches that app's URLs only
 * (the path ends with `/`, so `/comfyx/` is another app).
 */
function urlFilterFor(origin: Origin, path: AppPath | null = null): string {
  return `|${origin}${path ?? '/'}`;
}


/** Host patterns of the granted, protected sites the user added that the manifest's loopback patterns do not cover. */
export function addedSitePatterns(settings: Settings, granted: ReadonlySet<Origin>): string[] {
  const patterns = grantedCustomOrigins(settings, granted)
    .filter((o) => !isLoopbackHost(new URL(o).hostname) && siteOptions(settings, o).protect)
    .map(hostPatternFor);
  return [...new Set(patterns)].sort();
}

/** The browser's limits on dynamic rules (declarativeNetRequest.MAX_NUMBER_OF_*). */
export interface RuleLimits {
  dynamic: number;
  /** Chromium counts modifyHeaders rules as "unsafe", with a lower cap; Firefox has no such cap. */
  unsafe: number;
  regex: number;
}

export type RuleBudget = { ok: true } | { ok: false; limit: keyof RuleLimits; count: number; max: number };

/** Whether a rule set fits the browser's limits: checked before settings are saved, so what is saved is what is enforced. */
export function ruleBudget(rules: readonly DnrRule[], limits: RuleLimits): RuleBudget {
  const counts: RuleLimits = {
    dynamic: rules.length,
    unsafe: rules.filter((r) => r.action.type === 'modifyHeaders').length,
    regex: rules.filter((r) => r.condition.regexFilter !== undefined).length,
  };
  for (const limit of ['dynamic', 'unsafe', 'regex'] as const) {
    if (counts[limit] > limits[limit]) return { ok: false, limit, count: counts[limit], max: limits[limit] };
  }
  return { ok: true };
}

/**
 * What the installed rules do for `origin` (under `path`, for an app under a path): the highest-priority rule that matches
 * its pages decides (an `allow` stops header changes). Null when nothing changes
 * its headers. The popup shows this, not what the settings ask for.
 */
export function enforcedMode(rules: readonly Pick<DnrRule, 'priority' | 'action' | 'condition'>[], origin: Origin, path: AppPath | null = null): CacheMode | null {
  const host = new URL(origin).hostname;
  // A rule for the whole origin covers the app's URLs too.
  const filters = new Set([urlFilterFor(origin), urlFilterFor(origin, path)]);
  // Firefox reports absent condition fields as null, Chromium leaves them out.
  const matching = rules.filter(
    (r) => !r.condition.regexFilter && ((r.condition.urlFilter != null && filters.has(r.condition.urlFilter)) || (r.condition.urlFilter == null && r.condition.requestDomains?.includes(host))),
  );
  const top = [...matching].sort((a, b) => b.priority - a.priority)[0];
  if (!top || top.action.type !== 'modifyHeaders') return null;
  return top.action.requestHeaders.some((h) => h.header === 'pragma') ? 'bypass' : 'revalidate';
}
