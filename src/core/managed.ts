/**
 * Settings an organisation sets by policy (Chrome's managed storage, Firefox's
 * policies.json `3rdparty`). Every key is checked on its own: a bad value is
 * ignored with a reason the options page shows, and the rest still applies. The
 * policy is merged over the user's own settings when they are read and never
 * written into them, so removing the policy brings the user's settings back.
 */
import * as v from 'valibot';
import { MAX_APP_PATHS, namesAPage, parseSiteInput, type AppPath } from './app-path';
import type { Origin } from './origin';
import { withAppPath, withCustomOrigin, type CacheMode, type Settings, type SiteOptions } from './settings';
import { UNDO_CAP_RANGE_MB } from './undo-policy';

export interface ManagedPolicy {
  /** Protected on every machine, alongside the user's own sites. */
  protectedOrigins: Origin[];
  /**
   * Apps under a path the policy lists (`https://lab.example/comfy/`): their
   * origin is in `protectedOrigins`, and its rules and clears are scoped to them.
   */
  appPaths?: Record<Origin, AppPath[]>;
  allLoopbackPorts?: boolean;
  defaultMode?: CacheMode;
  autoClearDefault?: boolean;
  keepSiteDataDefault?: boolean;
  undoCapMb?: number;
  /** Managed origins cannot be paused or removed by the user. */
  lockProtection: boolean;
}

export interface PolicyIssue {
  key: string;
  reason: 'unknown-key' | 'wrong-type' | 'out-of-range' | 'too-broad' | 'not-an-origin' | 'too-many' | 'missing-list' | 'not-an-app' | 'too-many-apps';
  value: string;
}

type PolicyKey = 'protectedOrigins' | 'allLoopbackPorts' | 'defaultMode' | 'autoClearDefault' | 'keepSiteDataDefault' | 'undoCapMb' | 'lockProtection';

export const MAX_MANAGED_ORIGINS = 500;

export const EMPTY_POLICY: ManagedPolicy = { protectedOrigins: [], lockProtection: false };

const shown = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/**
 * Reads a managed-storage object. Firefox hands values over unchecked (Chromium
 * drops what does not match the schema), so everything is checked here.
 */
export function parsePolicy(raw: unknown): { policy: ManagedPolicy; issues: PolicyIssue[] } {
  const policy: ManagedPolicy = { protectedOrigins: [], lockProtection: false };
  const issues: PolicyIssue[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { policy, issues: raw === undefined || raw === null ? [] : [{ key: '(policy)', reason: 'wrong-type', value: shown(raw) }] };
  const booleanKey = (key: 'allLoopbackPorts' | 'autoClearDefault' | 'keepSiteDataDefault' | 'lockProtection', value: unknown) => {
    if (typeof value === 'boolean') policy[key] = value;
    else issues.push({ key, reason: 'wrong-type', value: shown(value) });
  };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (key as PolicyKey) {
      case 'protectedOrigins':
        if (!Array.isArray(value)) {
          issues.push({ key, reason: 'wrong-type', value: shown(value) });
          break;
        }
        value.forEach((item, i) => {
          const where = `${key}[${i}]`;
          if (typeof item !== 'string') return issues.push({ key: where, reason: 'wrong-type', value: shown(item) });
          const parsed = parseSiteInput(item);
          if (!parsed.ok) return issues.push({ key: where, reason: parsed.error === 'wildcard' ? 'too-broad' : 'not-an-origin', value: shown(item) });
          // `…/comfy` or `…/index.html` names a page: protecting its whole origin instead would reach the
          // other apps there, so the entry is refused and named (an app's path ends with "/").
          if (parsed.path === null && namesAPage(item)) return issues.push({ key: where, reason: 'not-an-app', value: shown(item) });
          if (parsed.path !== null && (policy.appPaths?.[parsed.origin]?.length ?? 0) >= MAX_APP_PATHS && !policy.appPaths?.[parsed.origin]?.includes(parsed.path)) {
            return issues.push({ key: where, reason: 'too-many-apps', value: shown(item) });
          }
          if (!policy.protectedOrigins.includes(parsed.origin)) {
            if (policy.protectedOrigins.length >= MAX_MANAGED_ORIGINS) return issues.push({ key: where, reason: 'too-many', value: shown(item) });
            policy.protectedOrigins.push(parsed.origin);
          }
          if (parsed.path !== null) {
            policy.appPaths ??= {};
            const paths = (policy.appPaths[parsed.origin] ??= []);
            if (!paths.includes(parsed.path)) paths.push(parsed.path);
          }
        });
        break;
      case 'defaultMode':
        if (value === 'revalidate' || value === 'bypass') policy.defaultMode = value;
        else issues.push({ key, reason: 'wrong-type', value: shown(value) });
        break;
      case 'undoCapMb':
        if (!v.is(v.pipe(v.number(), v.integer()), value)) issues.push({ key, reason: 'wrong-type', value: shown(value) });
        else if (value < UNDO_CAP_RANGE_MB.min || value > UNDO_CAP_RANGE_MB.max) issues.push({ key, reason: 'out-of-range', value: shown(value) });
        else policy.undoCapMb = value;
        break;
      case 'allLoopbackPorts':
      case 'autoClearDefault':
      case 'keepSiteDataDefault':
      case 'lockProtection':
        booleanKey(key as 'allLoopbackPorts', value);
        break;
      default:
        issues.push({ key, reason: 'unknown-key', value: shown(value) });
    }
  }
  policy.protectedOrigins.sort();
  // Chromium checks a policy against the manifest's schema and drops a list with one entry of the
  // wrong type whole, before the extension sees it; its schema format has no permissive item type
  // ("any" or no "items" makes it refuse to load the extension: tried on Chromium 156). A lock with
  // no list to lock is the trace such a drop leaves, so it is named rather than silently empty.
  if (policy.lockProtection && !('protectedOrigins' in raw)) issues.push({ key: 'protectedOrigins', reason: 'missing-list', value: '' });
  return { policy, issues };
}

/**
 * What the settings page shows of the ignored values: a list can carry thousands
 * of them (a policy of 10,000 origins printed 9,501 lines), so the sites over the
 * limit are one count, and past `shown` issues the rest are one count too.
 */
export function summariseIssues(issues: readonly PolicyIssue[], shown = 10): { issues: PolicyIssue[]; overLimit: number; more: number } {
  const overLimit = issues.filter((i) => i.reason === 'too-many').length;
  const rest = issues.filter((i) => i.reason !== 'too-many');
  return { issues: rest.slice(0, shown), overLimit, more: Math.max(0, rest.length - shown) };
}


/**
 * The settings in force: the user's, with the policy's values winning where it
 * sets them. Managed origins are protected in addition to the user's own; with
 * `lockProtection` they cannot be paused (a user's pause is ignored, not erased).
 */
export function effectiveSettings(user: Settings, policy: ManagedPolicy): Settings {
  let merged: Settings = {
    ...user,
    allLoopbackPorts: policy.allLoopbackPorts ?? user.allLoopbackPorts,
    defaults: {
      mode: policy.defaultMode ?? user.defaults.mode,
      autoClear: policy.autoClearDefault ?? user.defaults.autoClear,
      keepSiteData: policy.keepSiteDataDefault ?? user.defaults.keepSiteData,
    },
    undoCapMb: policy.undoCapMb ?? user.undoCapMb,
  };
  // A default the policy sets wins on every site too: a user's per-site value for it is ignored (not erased).
  const forced = policySiteOptions(policy);
  if (forced.length > 0) {
    merged = {
      ...merged,
      sites: Object.fromEntries(
        Object.entries(merged.sites).map(([origin, opts]) => [origin, Object.fromEntries(Object.entries(opts).filter(([k]) => !forced.includes(k as keyof SiteOptions)))]),
      ),
    };
  }
  for (const origin of policy.protectedOrigins) merged = withCustomOrigin(merged, origin);
  // The policy's apps join the user's own. A user's app paths are never dropped, even on an origin the
  // policy lists whole: without them a clear of the user's app would take the whole origin (every other
  // app's workers, caches and data). They do narrow that origin's freshness rules to the apps (README).
  for (const [origin, paths] of Object.entries(policy.appPaths ?? {})) for (const path of paths) merged = withAppPath(merged, origin, path);
  if (policy.lockProtection) {
    const sites = { ...merged.sites };
    for (const origin of policy.protectedOrigins) {
      if (sites[origin]?.protect !== false) continue;
      const rest = { ...sites[origin] };
      delete rest.protect;
      sites[origin] = rest;
    }
    merged = { ...merged, sites };
  }
  return merged;
}

/** Per-site options whose value the policy sets for every site (its defaults win there too). */
export function policySiteOptions(policy: ManagedPolicy): (keyof SiteOptions)[] {
  const keys: (keyof SiteOptions)[] = [];
  if (policy.defaultMode !== undefined) keys.push('mode');
  if (policy.autoClearDefault !== undefined) keys.push('autoClear');
  if (policy.keepSiteDataDefault !== undefined) keys.push('keepSiteData');
  return keys;
}

/** What the user cannot change, for the UI (controls disabled, "set by your organisation"). */
export function lockedBy(policy: ManagedPolicy): {
  allLoopbackPorts: boolean;
  defaultMode: boolean;
  autoClearDefault: boolean;
  keepSiteDataDefault: boolean;
  undoCapMb: boolean;
  /** A managed origin's protection (pause) and its removal. */
  origin: (origin: Origin) => { managed: boolean; locked: boolean };
} {
  return {
    allLoopbackPorts: policy.allLoopbackPorts !== undefined,
    defaultMode: policy.defaultMode !== undefined,
    autoClearDefault: policy.autoClearDefault !== undefined,
    keepSiteDataDefault: policy.keepSiteDataDefault !== undefined,
    undoCapMb: policy.undoCapMb !== undefined,
    origin: (origin) => {
      const managed = policy.protectedOrigins.includes(origin);
      return { managed, locked: managed && policy.lockProtection };
    },
  };
}
