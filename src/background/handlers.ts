import type { SiteChange, VersionCheck } from '../core/messages';
import { isAppPath, siteKey } from '../core/app-path';
import { parseOriginInput } from '../core/origin';
import { hasHostAccess } from '../platform/permissions';
import { forgetSite, readSettings } from '../platform/storage';
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
async function versionCheck(rawOrigin: string, path: string | undefined): Promise<VersionCheck> {
  const parsed = parseOriginInput(rawOrigin);
  if (!parsed.ok || parsed.origin !== rawOrigin) return { ok: false, error: 'unreachable' };
  // Only a path the settings declare for this origin: a page must not steer the background's requests elsewhere.
  const appPath = path !== undefined && isAppPath(path) && (await readSettings()).settings.appPaths[parsed.origin]?.includes(path) ? path : null;
  if (path !== undefined && appPath === null) return { ok: false, error: 'unreachable' };
  if (!(await hasHostAccess(parsed.origin))) return { ok: false, error: 'no-permission' };
  const check = await checkVersion(parsed.origin, appPath);
  const key = siteKey(parsed.origin, appPath);
  if (check.ok && !(await storedFingerprint(key))) await storeFingerprint(key, check.fingerprint);
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
  'check-version': ({ origin, path }: { origin: string; path?: string }) => versionCheck(origin, path),
  'check-tab': ({ tabId }: { tabId: number }) => revisitTab(tabId, { force: true }),
  'popup-state': ({ tabId }: { tabId: number }) => popupState(tabId),
  'set-site': ({ origin, change }: { origin: string; change: SiteChange }) => setSite(origin, change),
  'edit-settings': ({ edit }: { edit: SettingsEdit }) => editSettings(edit),
  'settings-aside': ({ action }: { action: 'dismiss' | 'delete' | 'restore' }) => settingsAside(action),
  'resume-auto': ({ origin }: { origin: string }) => resumeAutomaticFixes(origin),
  'protect-offer': ({ tabId }: { tabId: number }) => protectOffer(tabId),
  'protect-on-grant': ({ origin, cancel }: { origin: string; cancel?: boolean }) => protectOnGrant(origin, cancel === true),
};
