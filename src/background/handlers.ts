import type { SiteChange, VersionCheck } from '../core/messages';
import { parseOriginInput } from '../core/origin';
import { hasHostAccess } from '../platform/permissions';
import { forgetSite } from '../platform/storage';
import type { ClearChoice } from '../core/clear-report';
import { clearAndReload } from './clear-and-reload';
import { revisitTab } from './stale-detector';
import { tabStatus } from './tab-status';
import { deleteBackups } from './backups';
import { undo } from './undo';
import { popupState } from './popup-state';
import { protectOffer } from './protect-offer';
import { protectOnGrant } from './pending-grants';
import { resumeAutomaticFixes } from './auto-guard';
import { editSettings, setSite, settingsAside } from './settings-writes';
import type { SettingsEdit } from '../core/settings-edits';
import { checkVersion, storeFingerprint, storedFingerprint } from './version-check';

/** Fresh fingerprint for display; becomes the recorded one only if none is recorded yet. */
async function versionCheck(rawOrigin: string): Promise<VersionCheck> {
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
  'forget-site': async ({ origin }: { origin: string }) => {
    await forgetSite(origin);
    return { ok: true } as const;
  },
  'delete-backups': async () => {
    await deleteBackups();
    return { ok: true } as const;
  },
  'tab-status': ({ tabId }: { tabId: number }) => tabStatus(tabId),
  'check-version': ({ origin }: { origin: string }) => versionCheck(origin),
  'check-tab': ({ tabId }: { tabId: number }) => revisitTab(tabId, { force: true }),
  'popup-state': ({ tabId }: { tabId: number }) => popupState(tabId),
  'set-site': ({ origin, change }: { origin: string; change: SiteChange }) => setSite(origin, change),
  'edit-settings': ({ edit }: { edit: SettingsEdit }) => editSettings(edit),
  'settings-aside': ({ action }: { action: 'dismiss' | 'delete' | 'restore' }) => settingsAside(action),
  'resume-auto': ({ origin }: { origin: string }) => resumeAutomaticFixes(origin),
  'protect-offer': ({ tabId }: { tabId: number }) => protectOffer(tabId),
  'protect-on-grant': ({ origin, cancel }: { origin: string; cancel?: boolean }) => protectOnGrant(origin, cancel === true),
};
