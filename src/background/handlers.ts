import { isProtected } from '../core/dnr-rules';
import type { TabStatus, VersionCheck } from '../core/messages';
import { classifyTabUrl, parseOriginInput } from '../core/origin';
import { grantedOrigins, hasHostAccess } from '../platform/permissions';
import { local, readSettings } from '../platform/storage';
import { tabUrl } from '../platform/tabs';
import { checkVersion, storeFingerprint } from './auto-clear';
import { clearAndReload, isClearing } from './clear-and-reload';

export async function tabStatus(tabId: number): Promise<TabStatus> {
  const target = classifyTabUrl((await tabUrl(tabId)) ?? undefined);
  if (target.kind === 'restricted') return { target, protected: false, granted: false, busy: false, fingerprint: null };
  const { settings } = await readSettings();
  const [granted, customGranted, busy, fingerprints] = await Promise.all([
    hasHostAccess(target.origin),
    grantedOrigins(settings.customOrigins),
    isClearing(tabId),
    local.get('fingerprints'),
  ]);
  return { target, protected: isProtected(settings, target.origin, customGranted), granted, busy, fingerprint: fingerprints?.[target.origin] ?? null };
}

/** Fresh fingerprint for display; becomes the baseline only if none is recorded yet. */
export async function versionCheck(rawOrigin: string): Promise<VersionCheck> {
  const parsed = parseOriginInput(rawOrigin);
  if (!parsed.ok || parsed.origin !== rawOrigin) return { ok: false, error: 'unreachable' };
  if (!(await hasHostAccess(parsed.origin))) return { ok: false, error: 'no-permission' };
  const check = await checkVersion(parsed.origin);
  const stored = (await local.get('fingerprints'))?.[parsed.origin];
  if (check.ok && !stored) await storeFingerprint(parsed.origin, check.fingerprint);
  return check;
}

export const uiHandlers = {
  'clear-tab': ({ tabId }: { tabId: number }) => clearAndReload(tabId, 'popup'),
  'tab-status': ({ tabId }: { tabId: number }) => tabStatus(tabId),
  'check-version': ({ origin }: { origin: string }) => versionCheck(origin),
};
