import type { ClearChoice, ClearResult } from './clear-report';
import type { CacheMode } from './settings';
import { APP_NAMES, type Fingerprint } from './fingerprint';
import type { Origin, TabTarget } from './origin';
import { parsePageReport, type PageReport, type Verdict } from './staleness';

/**
 * The one contract between extension pages (popup, options) and the background.
 * Every request names its response type; the background answers nothing else.
 */
export interface UiToBackground {
  'clear-tab': { request: { tabId: number } & ClearChoice; response: ClearResult };
  /** Puts a backup back (in that tab when it shows the site). */
  undo: { request: { snapshotId: string; tabId?: number }; response: UndoResult };
  /** "Delete backups now": every backup of every site. */
  'delete-backups': { request: { all: true }; response: { ok: true } };
  'tab-status': { request: { tabId: number }; response: TabStatus };
  'check-version': { request: { origin: Origin }; response: VersionCheck };
  /** Asks the server afresh whether the tab's page runs its current code. */
  'check-tab': { request: { tabId: number }; response: Verdict | null };
}

export type MessageType = keyof UiToBackground;
export type RequestOf<T extends MessageType> = UiToBackground[T]['request'];
export type ResponseOf<T extends MessageType> = UiToBackground[T]['response'];
export type UiMessage = { [T in MessageType]: { type: T } & RequestOf<T> }[MessageType];

export interface TabStatus {
  target: TabTarget;
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

export type UndoResult =
  | { ok: true; origin: Origin; databases: number; records: number; localStorageItems: number }
  | { ok: false; error: 'gone' | 'no-permission' | 'tab-closed' | 'blocked' | 'failed'; detail?: string };

export type VersionCheck = { ok: true; fingerprint: Fingerprint } | { ok: false; error: 'unreachable' | 'not-html' | 'no-permission' };

const TYPES: readonly MessageType[] = ['clear-tab', 'tab-status', 'check-version', 'check-tab', 'undo', 'delete-backups'];

/** Structural check of an incoming message; anything else is ignored. */
export function parseUiMessage(raw: unknown): UiMessage | null {
  if (!raw || typeof raw !== 'object') return null;
  const msg = raw as Record<string, unknown>;
  if (typeof msg.type !== 'string' || !(TYPES as readonly string[]).includes(msg.type)) return null;
  const tabId = Number.isInteger(msg.tabId) && (msg.tabId as number) >= 0 ? (msg.tabId as number) : null;
  switch (msg.type as MessageType) {
    case 'clear-tab':
      if (tabId === null) return null;
      return { type: 'clear-tab', tabId, withoutUndo: msg.withoutUndo === true, keepSiteData: msg.keepSiteData === true };
    case 'undo':
      if (typeof msg.snapshotId !== 'string' || msg.snapshotId.length > 100) return null;
      return tabId === null ? { type: 'undo', snapshotId: msg.snapshotId } : { type: 'undo', snapshotId: msg.snapshotId, tabId };
    case 'delete-backups':
      return msg.all === true ? { type: 'delete-backups', all: true } : null;
    case 'tab-status':
    case 'check-tab':
      return Number.isInteger(msg.tabId) && (msg.tabId as number) >= 0 ? ({ type: msg.type, tabId: msg.tabId } as UiMessage) : null;
    case 'check-version':
      return typeof msg.origin === 'string' ? { type: 'check-version', origin: msg.origin } : null;
  }
}

/**
 * Content script → background: what the page in this tab loaded (see
 * content/page-report). The answer says whether the page should reload: only a
 * history return that runs old code does. The background takes the tab and the
 * origin from the sender, never from the message.
 */
export interface ContentToBackground {
  'page-report': { request: PageReport; response: { reload: boolean } };
}
export type ContentMessage = { type: 'page-report' } & PageReport;

export function parseContentMessage(raw: unknown): ContentMessage | null {
  if (!raw || typeof raw !== 'object' || (raw as { type?: unknown }).type !== 'page-report') return null;
  const report = parsePageReport(raw, (kind) => Object.hasOwn(APP_NAMES, kind));
  return report ? { type: 'page-report', ...report } : null;
}
