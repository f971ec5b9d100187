import type { PauseReason } from './auto-guard';
import type { ClearReport, UndoInfo } from './clear-report';
import type { CacheMode, SiteOptions } from './settings';
import type { Fingerprint } from './fingerprint';
import type { Origin, TabTarget } from './origin';
import type { Verdict } from './staleness';
import type { HostKind } from './network';

/** The requests themselves, and who may send them, are declared in core/commands. */
export type { SiteChange } from './commands';

export interface TabStatus {
  target: TabTarget;
  /** The tab is in an app under this path of its origin (settings.appPaths). */
  appPath?: string;
  /** The origin's apps live under paths: a clear here is scoped (core/clear-report ClearScope), in an app or outside them all. */
  appScoped?: true;
  /** Outside every app of such an origin: the directory this page is in, which "Protect … as an app" would add. */
  appCandidate?: string;
  /** The rules the browser enforces right now give this origin fresh-loading headers (and in which mode). */
  protected: boolean;
  enforcedMode: CacheMode | null;
  /** The settings ask for protection; differs from `protected` only when the browser refused the rules. */
  intended: boolean;
  /** Stalebuster may script and clear this origin (loopback, or a granted host). */
  granted: boolean;
  busy: boolean;
  fingerprint: Fingerprint | null;
  /** Whether the page runs the code the server serves now; null until the detector has judged it. */
  verdict: Verdict | null;
}

/** "This is ComfyUI on gpu-box.local:8188 — Protect it". */
export interface ProtectOffer {
  origin: Origin;
  /** The tool's name (core/fingerprint APP_NAMES). */
  app: string;
  network: HostKind;
}

/**
 * `add-app`: on an origin whose apps live under paths, a page outside them all
 * becomes an app of its own (its directory, TabStatus.appCandidate).
 */

/** Why a settings change was not saved. */
export type WriteError =
  | { kind: 'storage'; detail: string }
  /** It would need more rules than the browser enforces: refused, so nothing claims a protection it lacks. */
  | { kind: 'limit'; limit: 'dynamic' | 'unsafe' | 'regex'; count: number; max: number }
  /** The organisation's policy locks it. */
  | { kind: 'managed' };

export interface PopupState {
  status: TabStatus;
  /** This site's effective options (defaults applied); null off-site. */
  options: SiteOptions | null;
  /** This site's last clear, and what Undo can put back from it. */
  report: ClearReport | null;
  undo: UndoInfo | null;
  /** Settings were kept aside (a rollback or damage), and the user has not dismissed the notice. */
  settingsAside: boolean;
  /** The browser refused the rules: the error, so the popup can say protection is not active. */
  rulesError: string | null;
  /** This site is protected by the organisation's policy, whether the user may pause it, and which options the policy sets. */
  managed: { managed: boolean; locked: boolean; options: (keyof SiteOptions)[] };
  /** Apps embedded in frames of the page that run old code (judged in their frames): who and where. */
  staleFrames: { host: string; app: string | null }[];
  /** Stalebuster stopped acting on its own for this site, and why (core/auto-guard). */
  autoPaused: { reason: PauseReason; at: number; sticky: boolean } | null;
}

export type UndoResult =
  | {
      ok: true; origin: Origin; databases: number; records: number; localStorageItems: number; restoredAt: number;
      /** Where the Undo spent its time, in ms (npm run bench): pausing the site, putting the data back, reloading onto it. */
      phases?: { pause: number; restore: number; reload: number };
    }
  /** other-partition: the backup is of another container or private window, where no tab of the site is open. */
  | { ok: false; error: 'gone' | 'no-permission' | 'tab-closed' | 'busy' | 'blocked' | 'failed' | 'other-partition'; detail?: string };

export type VersionCheck = { ok: true; fingerprint: Fingerprint } | { ok: false; error: 'unreachable' | 'not-html' | 'no-permission' };


