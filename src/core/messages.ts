import type { PauseReason } from './auto-guard';
import type { SettingsEdit } from './settings-edits';
import type { ClearChoice, ClearReport, ClearResult, UndoInfo } from './clear-report';
import type { CacheMode, SiteOptions } from './settings';
import type { Fingerprint } from './fingerprint';
import type { Origin, TabTarget } from './origin';
import type { PageReport, Verdict } from './staleness';
import type { SignalMessage } from './page-signals';
import type { HostKind } from './network';

/**
 * The one contract between extension pages (popup, options) and the background.
 * Every request names its response type; the background answers nothing else.
 */
interface UiToBackground {
  'clear-tab': { request: { tabId: number } & ClearChoice; response: ClearResult };
  /** Puts a backup back (in that tab when it shows the site). */
  undo: { request: { snapshotId: string; tabId?: number }; response: UndoResult };
  /** The popup's way out of a rendering error: forget the site's stored report and version (its options stay). */
  'forget-site': { request: { origin: Origin }; response: { ok: true } };
  /** "Delete backups now": every backup of every site. */
  'delete-backups': { request: { all: true }; response: { ok: true } };
  'tab-status': { request: { tabId: number }; response: TabStatus };
  /** `path`: the tab is in an app under that path (TabStatus.appPath). */
  'check-version': { request: { origin: Origin; path?: string }; response: VersionCheck };
  /** Asks the server afresh whether the tab's page runs its current code. */
  'check-tab': { request: { tabId: number }; response: Verdict | null };
  /** Everything the popup shows, validated and read in one go (the popup carries no schema code). */
  'popup-state': { request: { tabId: number }; response: PopupState };
  /** One site's protection or options, changed from the popup; refused, with the reason, if it cannot be enforced or saved. */
  'set-site': { request: { origin: Origin; change: SiteChange }; response: { ok: true } | { ok: false; error: WriteError } };
  /** A change to the user's settings from the options page (core/settings-edits): the background applies it. */
  'edit-settings': { request: { edit: SettingsEdit }; response: { ok: true } | { ok: false; error: WriteError } };
  /**
   * The popup opened on a site that is not protected: is the page a known AI tool
   * (read in the page with the access the click grants)? Null when it is not, or cannot be read.
   */
  'protect-offer': { request: { tabId: number }; response: ProtectOffer | null };
  /**
   * "Protect it" on a site whose access the popup is asking the browser for: the
   * background protects it as soon as the grant arrives, with or without the popup.
   */
  'protect-on-grant': { request: { origin: Origin; cancel?: boolean }; response: { ok: true } | { ok: false; error: WriteError } };
  /** "Resume automatic fixes" on a site Stalebuster paused (core/auto-guard). */
  'resume-auto': { request: { origin: Origin }; response: { ok: true } };
  /** The kept-aside copy of settings (a rollback, damage): dismiss the notice, delete it, or restore it. */
  'settings-aside': { request: { action: 'dismiss' | 'delete' | 'restore' }; response: { ok: true } | { ok: false; reason: 'newer' | 'damaged' | 'missing' | 'not-saved' } };
}

export type MessageType = keyof UiToBackground;
export type RequestOf<T extends MessageType> = UiToBackground[T]['request'];
export type ResponseOf<T extends MessageType> = UiToBackground[T]['response'];
export type UiMessage = { [T in MessageType]: { type: T } & RequestOf<T> }[MessageType];

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
export type SiteChange = { kind: 'protect'; on: boolean } | { kind: 'options'; patch: Partial<SiteOptions> } | { kind: 'add-app'; path: string };

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

/**
 * Content script → background: what the page in this tab loaded (see
 * content/page-report). The answer says whether the page should reload: only a
 * history return that runs old code does. The background takes the tab and the
 * origin from the sender, never from the message.
 */
export interface ContentToBackground {
  'page-report': { request: PageReport; response: { reload: boolean } };
  /** A sign that the open page's code may be out of date (core/page-signals): checked at most once per window. */
  'page-signal': { request: SignalMessage; response: void };
  /** Clear & reload pressed in the in-page notice of this document (content/stale-notice). */
  'notice-clear': { request: { docId: string }; response: void };
}
export type ContentMessage = ({ type: 'page-report' } & PageReport) | ({ type: 'page-signal' } & SignalMessage) | { type: 'notice-clear'; docId: string };

