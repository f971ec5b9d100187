import { enforcedMode as enforcedModeOf, isProtected } from '../core/dnr-rules';
import type { TabStatus } from '../core/messages';
import { appPathOf, directoryAppPath, siteKey } from '../core/app-path';
import { classifyTabUrl } from '../core/origin';
import { getDynamicRules } from '../platform/dnr';
import { grantedOrigins, hasHostAccess } from '../platform/permissions';
import type { Settings } from '../core/settings';
import { readSettings } from '../platform/storage';
import { tabUrl } from '../platform/tabs';
import { isClearing } from './clear-and-reload';
import { currentRecord } from './stale-detector';
import { storedFingerprint } from './version-check';

const RESTRICTED = (target: TabStatus['target']): TabStatus => ({
  target, protected: false, enforcedMode: null, intended: false, granted: false, busy: false, fingerprint: null, verdict: null,
});

/** Outside every app: the directory the page is in, if it can be an app (not the origin's root). */
function candidate(appPath: string | null, url: string): { appCandidate?: string } {
  if (appPath !== null) return {};
  const dir = directoryAppPath(new URL(url).pathname);
  return dir ? { appCandidate: dir } : {};
}

/** `known`: the settings in force, when the caller has read them already. */
export async function tabStatus(tabId: number, known?: Settings): Promise<TabStatus> {
  const url = (await tabUrl(tabId)) ?? undefined;
  const target = classifyTabUrl(url);
  if (target.kind === 'restricted') return RESTRICTED(target);
  const settings = known ?? (await readSettings()).settings;
  const appPath = appPathOf(settings.appPaths[target.origin], url!);
  const [granted, customGranted, busy, fingerprint, record, rules] = await Promise.all([
    hasHostAccess(target.origin),
    grantedOrigins(settings.customOrigins),
    isClearing(tabId),
    storedFingerprint(siteKey(target.origin, appPath)),
    currentRecord(tabId),
    getDynamicRules(),
  ]);
  // What the browser enforces, not what the settings ask for: they differ when it refused the rules.
  const enforcedMode = enforcedModeOf(rules, target.origin, appPath);
  return {
    target,
    ...(appPath ? { appPath } : {}),
    ...(settings.appPaths[target.origin]?.length ? { appScoped: true as const, ...candidate(appPath, url!) } : {}),
    protected: enforcedMode !== null,
    enforcedMode,
    intended: isProtected(settings, target.origin, customGranted, url),
    granted,
    busy,
    fingerprint: fingerprint ?? null,
    verdict: record?.verdict ?? null,
  };
}

