import * as v from 'valibot';
import { MAX_APP_PATHS, isAppPath, normaliseAppPath, type AppPath } from './app-path';
import { parseOriginInput, type Origin } from './origin';
import { isLoopbackHost } from './permissions';
import { DEFAULT_UNDO_CAP_MB, UNDO_CAP_RANGE_MB } from './undo-policy';

export const SETTINGS_VERSION = 4;

/** Bounds on every collection: settings stay small, and their rules stay within every browser's DNR limits. */
export const LIMITS = { customOrigins: 1000, sites: 2000, foundOrigins: 200, dismissedOrigins: 1000 } as const;

export type CacheMode = 'revalidate' | 'bypass';

/** Per-origin choices; anything absent takes the global default. */
export interface SiteOptions {
  protect: boolean;
  mode: CacheMode;
  autoClear: boolean;
  /** Manual clear leaves localStorage and IndexedDB alone (ComfyUI workflows, chats). */
  keepSiteData: boolean;
  /** Cookies are shared by every port of a host, so this is opt-in. */
  includeCookies: boolean;
  /** Auto-clear also wipes localStorage and IndexedDB (off: only what holds stale code). */
  autoClearSiteData: boolean;
  /**
   * An app under a path also clears the site data its origin shares with the
   * other apps there (off: an app's clear leaves localStorage and IndexedDB alone).
   */
  clearShared: boolean;
}

export interface Settings {
  version: typeof SETTINGS_VERSION;
  /** Protect the well-known ports of local AI tools on localhost, 127.0.0.1 and [::1]. */
  protectKnownPorts: boolean;
  /** Protect every port of the loopback hosts. */
  allLoopbackPorts: boolean;
  /** Origins the user added (LAN boxes, unusual ports). */
  customOrigins: Origin[];
  /** Protect a loopback page that is recognisably a known AI tool, on any port. */
  autoProtect: boolean;
  /** Loopback origins recognised as AI tools and protected by themselves ("Found automatically"). */
  foundOrigins: Origin[];
  /** Found origins the user removed: never added again by recognition. */
  dismissedOrigins: Origin[];
  defaults: Pick<SiteOptions, 'mode' | 'autoClear' | 'keepSiteData'>;
  sites: Record<Origin, Partial<SiteOptions>>;
  /**
   * Apps under a path on a user-added origin (`/comfy/`, `/other/` behind one
   * proxy): the origin's rules, checks and clears are scoped to them (core/app-path).
   */
  appPaths: Record<Origin, AppPath[]>;
  /** Total size of the backups Undo keeps, in MB. */
  undoCapMb: number;
}

const DEFAULT_SITE_OPTIONS: SiteOptions = {
  protect: true,
  mode: 'revalidate',
  autoClear: false,
  keepSiteData: false,
  includeCookies: false,
  autoClearSiteData: false,
  clearShared: false,
};

export function defaultSettings(): Settings {
  return {
    version: SETTINGS_VERSION,
    protectKnownPorts: true,
    allLoopbackPorts: false,
    customOrigins: [],
    autoProtect: true,
    foundOrigins: [],
    dismissedOrigins: [],
    defaults: { mode: DEFAULT_SITE_OPTIONS.mode, autoClear: DEFAULT_SITE_OPTIONS.autoClear, keepSiteData: DEFAULT_SITE_OPTIONS.keepSiteData },
    sites: {},
    appPaths: {},
    undoCapMb: DEFAULT_UNDO_CAP_MB,
  };
}

const OriginSchema = v.pipe(
  v.string(),
  v.check((s) => {
    const r = parseOriginInput(s);
    return r.ok && r.origin === s;
  }, 'not a canonical origin'),
);
const LoopbackOriginSchema = v.pipe(
  v.string(),
  v.check((s) => {
    const r = parseOriginInput(s);
    return r.ok && r.origin === s && isLoopbackHost(new URL(s).hostname);
  }, 'not a canonical loopback origin'),
);
const AppPathsSchema = v.pipe(
  v.array(v.pipe(v.string(), v.check(isAppPath, 'not an app path'))),
  // An origin with no apps is listed without an entry here: an empty list would read as the whole origin.
  v.minLength(1),
  v.maxLength(MAX_APP_PATHS),
  v.check((paths) => new Set(paths).size === paths.length, 'an app path twice'),
);
const ModeSchema = v.picklist(['revalidate', 'bypass']);
export const UndoCapSchema = v.pipe(v.number(), v.integer(), v.minValue(UNDO_CAP_RANGE_MB.min), v.maxValue(UNDO_CAP_RANGE_MB.max));

const SiteOptionsSchema = v.strictObject({
  protect: v.optional(v.boolean()),
  mode: v.optional(ModeSchema),
  autoClear: v.optional(v.boolean()),
  keepSiteData: v.optional(v.boolean()),
  includeCookies: v.optional(v.boolean()),
  autoClearSiteData: v.optional(v.boolean()),
  clearShared: v.optional(v.boolean()),
});

export const SettingsSchema = v.strictObject({
  version: v.literal(SETTINGS_VERSION),
  protectKnownPorts: v.boolean(),
  allLoopbackPorts: v.boolean(),
  customOrigins: v.pipe(v.array(OriginSchema), v.maxLength(LIMITS.customOrigins)),
  autoProtect: v.boolean(),
  foundOrigins: v.pipe(v.array(LoopbackOriginSchema), v.maxLength(LIMITS.foundOrigins)),
  dismissedOrigins: v.pipe(v.array(LoopbackOriginSchema), v.maxLength(LIMITS.dismissedOrigins)),
  defaults: v.strictObject({ mode: ModeSchema, autoClear: v.boolean(), keepSiteData: v.boolean() }),
  sites: v.pipe(
    v.record(OriginSchema, SiteOptionsSchema),
    v.check((sites) => Object.keys(sites).length <= LIMITS.sites, `more than ${LIMITS.sites} sites`),
  ),
  appPaths: v.pipe(
    v.record(OriginSchema, AppPathsSchema),
    v.check((m) => Object.keys(m).length <= LIMITS.customOrigins, `more than ${LIMITS.customOrigins} origins with app paths`),
  ),
  undoCapMb: UndoCapSchema,
});

/**
 * v1 (0.0.x previews) stored `{ version: 1, origins: string[], mode, autoClear: string[] }`.
 * Each migration takes the previous shape and returns the next; unknown input throws.
 */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  1: (old) => {
    const origins = Array.isArray(old.origins) ? old.origins : [];
    const autoClear = Array.isArray(old.autoClear) ? old.autoClear : [];
    const sites: Record<string, Partial<SiteOptions>> = {};
    for (const o of autoClear) if (typeof o === 'string') sites[o] = { autoClear: true };
    return {
      version: 2,
      protectKnownPorts: true,
      allLoopbackPorts: false,
      customOrigins: origins,
      defaults: { mode: old.mode === 'bypass' ? 'bypass' : 'revalidate', autoClear: false },
      sites,
    };
  },
  // 0.2: recognised tools on any loopback port, Undo's backups within a size cap, a default for keeping site data.
  2: (old) => ({
    ...old,
    version: 3,
    autoProtect: true,
    foundOrigins: [],
    dismissedOrigins: [],
    undoCapMb: DEFAULT_UNDO_CAP_MB,
    defaults: { ...(old.defaults as object), keepSiteData: false },
  }),
  // 0.3: apps under a path on one origin.
  3: (old) => ({ ...old, version: 4, appPaths: {} }),
};

export type LoadResult =
  | { status: 'ok'; settings: Settings; migrated: boolean }
  | { status: 'missing'; settings: Settings }
  /**
   * Not readable as it is: written by a newer version (an older build installed
   * over it), or damaged. `settings` keeps every part that is still valid; the
   * stored value itself must be kept aside before anything overwrites it.
   */
  | { status: 'salvaged'; settings: Settings; kind: 'newer' | 'damaged'; issue: string };

const unique = (list: Origin[]) => [...new Set(list)];

/** Reads whatever was stored; never throws, never returns something invalid. */
export function loadSettings(stored: unknown): LoadResult {
  if (stored === undefined || stored === null) return { status: 'missing', settings: defaultSettings() };
  if (typeof stored !== 'object' || Array.isArray(stored)) {
    return { status: 'salvaged', kind: 'damaged', settings: defaultSettings(), issue: 'not an object' };
  }
  let data = stored as Record<string, unknown>;
  if (typeof data.version === 'number' && data.version > SETTINGS_VERSION) {
    return { status: 'salvaged', kind: 'newer', settings: salvage(data), issue: `written by a newer version (settings v${data.version})` };
  }
  let migrated = false;
  try {
    while (typeof data.version === 'number' && data.version < SETTINGS_VERSION) {
      const step = MIGRATIONS[data.version];
      if (!step) break;
      data = step(data);
      migrated = true;
    }
  } catch (e) {
    return { status: 'salvaged', kind: 'damaged', settings: defaultSettings(), issue: `migration failed: ${String(e)}` };
  }
  const parsed = v.safeParse(SettingsSchema, data);
  if (!parsed.success) {
    const first = parsed.issues[0];
    const path = first?.path?.map((p) => String(p.key)).join('.') ?? '';
    return { status: 'salvaged', kind: 'damaged', settings: salvage(data), issue: `${path ? path + ': ' : ''}${first?.message ?? 'invalid'}` };
  }
  const settings = parsed.output as Settings;
  return {
    status: 'ok',
    settings: { ...settings, customOrigins: unique(settings.customOrigins), foundOrigins: unique(settings.foundOrigins), dismissedOrigins: unique(settings.dismissedOrigins) },
    migrated,
  };
}

/**
 * Every part of `data` that is valid on its own: each field, each listed origin,
 * each site's options; the rest takes the defaults. A user who rolls back to an
 * older build keeps their sites instead of starting from scratch.
 */
function salvage(data: Record<string, unknown>): Settings {
  const base = defaultSettings();
  const pick = <T>(schema: v.GenericSchema<unknown, T>, value: unknown, fallback: T): T => {
    const r = v.safeParse(schema, value);
    return r.success ? r.output : fallback;
  };
  const list = (schema: v.GenericSchema<unknown, string>, value: unknown, limit: number): Origin[] =>
    Array.isArray(value) ? unique(value.filter((o): o is string => v.is(schema, o))).slice(0, limit) : [];
  const sites: Settings['sites'] = {};
  if (data.sites && typeof data.sites === 'object' && !Array.isArray(data.sites)) {
    for (const [origin, options] of Object.entries(data.sites as Record<string, unknown>)) {
      if (Object.keys(sites).length >= LIMITS.sites) break;
      if (v.is(OriginSchema, origin) && v.is(SiteOptionsSchema, options)) sites[origin] = options as Partial<SiteOptions>;
    }
  }
  const defaults = (data.defaults ?? {}) as Record<string, unknown>;
  const apps = salvageAppPaths(data.appPaths);
  return {
    version: SETTINGS_VERSION,
    protectKnownPorts: pick(v.boolean(), data.protectKnownPorts, base.protectKnownPorts),
    allLoopbackPorts: pick(v.boolean(), data.allLoopbackPorts, base.allLoopbackPorts),
    customOrigins: list(OriginSchema, data.customOrigins, LIMITS.customOrigins).filter((o) => !apps.lost.has(o)),
    autoProtect: pick(v.boolean(), data.autoProtect, base.autoProtect),
    foundOrigins: list(LoopbackOriginSchema, data.foundOrigins, LIMITS.foundOrigins),
    dismissedOrigins: list(LoopbackOriginSchema, data.dismissedOrigins, LIMITS.dismissedOrigins),
    defaults: {
      mode: pick(ModeSchema, defaults.mode, base.defaults.mode),
      autoClear: pick(v.boolean(), defaults.autoClear, base.defaults.autoClear),
      keepSiteData: pick(v.boolean(), defaults.keepSiteData, base.defaults.keepSiteData),
    },
    sites,
    appPaths: apps.appPaths,
    undoCapMb: pick(UndoCapSchema, data.undoCapMb, base.undoCapMb),
  };
}

/**
 * Each origin's valid app paths (`/comfy` read as `/comfy/`). `lost`: origins
 * that declared apps of which none survived; they are not kept as sites at all,
 * since protecting (and clearing) one whole would reach the apps it shares.
 */
function salvageAppPaths(value: unknown): { appPaths: Settings['appPaths']; lost: Set<Origin> } {
  const appPaths: Settings['appPaths'] = {};
  const lost = new Set<Origin>();
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { appPaths, lost };
  for (const [origin, paths] of Object.entries(value as Record<string, unknown>)) {
    if (!v.is(OriginSchema, origin)) continue;
    const valid = (Array.isArray(paths) ? paths : []).flatMap((p) => (typeof p === 'string' ? [normaliseAppPath(p)] : [])).filter((p): p is AppPath => !!p);
    const kept = [...new Set(valid)].sort().slice(0, MAX_APP_PATHS);
    if (kept.length > 0 && Object.keys(appPaths).length < LIMITS.customOrigins) appPaths[origin] = kept;
    else lost.add(origin);
  }
  return { appPaths, lost };
}

export function siteOptions(settings: Settings, origin: Origin): SiteOptions {
  return { ...DEFAULT_SITE_OPTIONS, ...settings.defaults, ...settings.sites[origin] };
}

/** Returns new settings with `patch` applied to one origin; drops entries equal to the defaults. */
export function withSiteOptions(settings: Settings, origin: Origin, patch: Partial<SiteOptions>): Settings {
  const base = { ...DEFAULT_SITE_OPTIONS, ...settings.defaults };
  const merged = { ...settings.sites[origin], ...patch };
  const pruned: Partial<SiteOptions> = {};
  for (const key of Object.keys(merged) as (keyof SiteOptions)[]) {
    if (merged[key] !== undefined && merged[key] !== base[key]) (pruned as Record<string, unknown>)[key] = merged[key];
  }
  const sites = { ...settings.sites };
  if (Object.keys(pruned).length === 0) delete sites[origin];
  else sites[origin] = pruned;
  return { ...settings, sites };
}

export function withCustomOrigin(settings: Settings, origin: Origin): Settings {
  if (settings.customOrigins.includes(origin)) return settings;
  return { ...settings, customOrigins: [...settings.customOrigins, origin].sort() };
}

export function withoutCustomOrigin(settings: Settings, origin: Origin): Settings {
  const sites = { ...settings.sites };
  delete sites[origin];
  const appPaths = { ...settings.appPaths };
  delete appPaths[origin];
  return { ...settings, customOrigins: settings.customOrigins.filter((o) => o !== origin), sites, appPaths };
}

/** An app under a path on a user-added origin; a full list leaves the settings as they are. */
export function withAppPath(settings: Settings, origin: Origin, path: AppPath): Settings {
  const paths = settings.appPaths[origin] ?? [];
  if (!isAppPath(path) || paths.includes(path) || paths.length >= MAX_APP_PATHS) return settings;
  return { ...settings, appPaths: { ...settings.appPaths, [origin]: [...paths, path].sort() } };
}

export function withoutAppPath(settings: Settings, origin: Origin, path: AppPath): Settings {
  const paths = (settings.appPaths[origin] ?? []).filter((p) => p !== path);
  const appPaths = { ...settings.appPaths };
  if (paths.length === 0) delete appPaths[origin];
  else appPaths[origin] = paths;
  return { ...settings, appPaths };
}

/** A recognised AI tool on an unprotected loopback port: protected by itself unless the user removed it before. */
export function withFoundOrigin(settings: Settings, origin: Origin): Settings {
  if (!settings.autoProtect || settings.foundOrigins.includes(origin) || settings.dismissedOrigins.includes(origin)) return settings;
  if (settings.foundOrigins.length >= LIMITS.foundOrigins) return settings;
  return { ...settings, foundOrigins: [...settings.foundOrigins, origin].sort() };
}

/** "Remove" on a found origin: unprotected, and never found again. */
export function withoutFoundOrigin(settings: Settings, origin: Origin): Settings {
  const dismissed = settings.dismissedOrigins.includes(origin) ? settings.dismissedOrigins : [...settings.dismissedOrigins, origin].sort().slice(-LIMITS.dismissedOrigins);
  return { ...settings, foundOrigins: settings.foundOrigins.filter((o) => o !== origin), dismissedOrigins: dismissed };
}
