import { enforcedMode as enforcedModeOf, isProtected } from '../core/dnr-rules';
import type { TabStatus, VersionCheck } from '../core/messages';
import { classifyTabUrl, parseOriginInput } from '../core/origin';
import { getDynamicRules } from '../platform/dnr';
import { grantedOrigins, hasHostAccess } from '../platform/permissions';
import { readSettings } from '../platform/storage';
import { tabUrl } from '../platform/tabs';
import type { ClearChoice } from '../core/clear-report';
import { clearAndReload, isClearing } from './clear-and-reload';
import { deleteBackups, undo } from './undo';
import { currentRecord, revisitTab } from './stale-detector';
import { checkVersion, storeFingerprint, storedFingerprint } from './version-check';

const RESTRICTED = (target: TabStatus['target']): TabStatus => ({
  target, protected: false, enforcedMode: null, intended: false, granted: false, busy: false, fingerprint: null, verdict: null,
});

export async function tabStatus(tabId: number): Promise<TabStatus> {
  const target = classifyTabUrl((await tabUrl(tabId)) ?? undefined);
  if (target.kind === 'restricted') return RESTRICTED(target);
  const { settings } = await readSettings();
  const [granted, customGranted, busy, fingerprint, record, rules] = await Promise.all([
    hasHostAccess(target.origin),
    grantedOrigins(settings.customOrigins),
    isClearing(tabId),
    storedFingerprint(target.origin),
    currentRecord(tabId),
    getDynamicRules(),
  ]);
  // What the browser enforces, not what the settings ask for: they differ when it refused the rules.
  const enforcedMode = enforcedModeOf(rules, target.origin);
  return {
    target,
    protected: enforcedMode !== null,
    enforcedMode,
    intended: isProtected(settings, target.origin, customGranted),
    granted,
    busy,
    fingerprint: fingerprint ?? null,
    verdict: record?.verdict ?? null,
  };
}

/** Fresh fingerprint for display; becomes the recorded one only if none is recorded yet. */
export async function versionCheck(rawOrigin: string): Promise<VersionCheck> {
  const parsed = parseOriginInput(rawOrigin);
  if (!parsed.ok || parsed.origin !== rawOrigin) return { ok: false, error: 'unreachable' };
  if (!(await hasHostAccess(parsed.origin))) return { ok: false, error: 'no-permission' };
  const check = await checkVersion(parsed.origin);
  if (check.ok && !(await storedFingerprint(parsed.origin))) await storeFingerprint(parsed.origin, check.fingerprint);
  return check;
}

export const uiHandlers = {
  'clear-tab': ({ tabId, withoutUndo, keepSiteData }: { tabId: number } & ClearChoice) => clearAndReload(tabId, 'popup', { choice: { withoutUndo, keepSiteData } }),
  undo: ({ snapshotId, tabId }: { snapshotId: string; tabId?: number }) => undo(snapshotId, tabId),
  'delete-backups': async () => {
    await deleteBackups();
    return { ok: true } as const;
  },
  'tab-status': ({ tabId }: { tabId: number }) => tabStatus(tabId),
  'check-version': ({ origin }: { origin: string }) => versionCheck(origin),
  'check-tab': ({ tabId }: { tabId: number }) => revisitTab(tabId, { force: true }),
};
