import { effectiveSettings, lockedBy, policySiteOptions } from '../core/managed';
import { undoFor } from '../core/undo-policy';
import { siteKey } from '../core/app-path';
import type { PopupState } from '../core/messages';
import { loadSettings, siteOptions } from '../core/settings';
import { readPolicy } from '../platform/managed';
import { local } from '../platform/storage';
import { guards } from './auto-guard';
import { tabStatus } from './tab-status';
import { framesOf } from './tab-records';
import { APP_NAMES, type AppKind } from '../core/fingerprint';
import { tabPartition } from '../platform/tabs';

/**
 * Everything the popup shows for a tab, from one storage read (plus the tab's
 * status, judged with the same settings). Values are validated here, so the popup carries no schema code and
 * paints from one answer.
 */
export async function popupState(tabId: number): Promise<PopupState> {
  const [stored, { policy }] = await Promise.all([local.getMany(['settings', 'reports', 'snapshots', 'settingsAside', 'rulesStatus']), readPolicy()]);
  const settings = effectiveSettings(loadSettings(stored.settings).settings, policy);
  const status = await tabStatus(tabId, settings);
  const origin = status.target.kind === 'site' ? status.target.origin : null;
  const paused = origin ? ((await guards.get(origin))?.paused ?? null) : null;
  // Each app under a path has its own last report (core/app-path siteKey).
  const report = origin ? (stored.reports?.[siteKey(origin, status.appPath)] ?? null) : null;
  const backup = origin ? undoFor(Object.values(stored.snapshots ?? {}), origin, Date.now(), (await tabPartition(tabId)) ?? null) : null;
  return {
    status,
    options: origin ? siteOptions(settings, origin) : null,
    report,
    // The newest backup of the site not yet put back, whichever clear made it:
    // a later clear that needed none (or kept the data) does not hide it.
    undo: backup ? { id: backup.id, until: backup.expiresAt, bytes: backup.bytes, takenAt: backup.takenAt } : null,
    settingsAside: !!stored.settingsAside && !stored.settingsAside.dismissed,
    rulesError: stored.rulesStatus?.ok === false ? stored.rulesStatus.error : null,
    managed: { ...(origin ? lockedBy(policy).origin(origin) : { managed: false, locked: false }), options: policySiteOptions(policy) },
    autoPaused: paused ? { reason: paused.reason, at: paused.at, sticky: paused.sticky === true } : null,
    staleFrames: (await framesOf(tabId))
      .filter((f) => f.verdict?.state === 'stale')
      .map((f) => ({ host: new URL(f.origin).host, app: f.app && Object.hasOwn(APP_NAMES, f.app) ? APP_NAMES[f.app as AppKind] : null })),
  };
}
