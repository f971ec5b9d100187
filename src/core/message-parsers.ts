/**
 * Checks of what arrives at the background by message: anything that is not one
 * of the declared requests (core/messages), field by field, is dropped. Kept
 * apart from the declarations so the popup, which only sends, carries none of it.
 */
import { isAppPath } from './app-path';
import { APP_NAMES } from './fingerprint';
import type { ContentMessage, MessageType, SiteChange, UiMessage } from './messages';
import type { SiteOptions } from './settings';
import { parseSettingsEdit } from './settings-edits';
import { parseSignal } from './page-signals';
import { parsePageReport } from './staleness';

const TYPES: readonly MessageType[] = ['clear-tab', 'tab-status', 'check-version', 'check-tab', 'undo', 'delete-backups', 'popup-state', 'set-site', 'forget-site', 'edit-settings', 'settings-aside', 'resume-auto', 'protect-offer', 'protect-on-grant'];

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
    case 'forget-site':
      return typeof msg.origin === 'string' ? { type: 'forget-site', origin: msg.origin } : null;
    case 'delete-backups':
      return msg.all === true ? { type: 'delete-backups', all: true } : null;
    case 'set-site': {
      const change = parseSiteChange(msg.change);
      return typeof msg.origin === 'string' && change ? { type: 'set-site', origin: msg.origin, change } : null;
    }
    case 'popup-state':
    case 'tab-status':
    case 'check-tab':
    case 'protect-offer':
      return Number.isInteger(msg.tabId) && (msg.tabId as number) >= 0 ? ({ type: msg.type, tabId: msg.tabId } as UiMessage) : null;
    case 'check-version':
      if (typeof msg.origin !== 'string' || (msg.path !== undefined && typeof msg.path !== 'string')) return null;
      return { type: 'check-version', origin: msg.origin, ...(typeof msg.path === 'string' ? { path: msg.path } : {}) };
    case 'edit-settings': {
      const edit = parseSettingsEdit(msg.edit);
      return edit ? { type: 'edit-settings', edit } : null;
    }
    case 'resume-auto':
      return typeof msg.origin === 'string' && msg.origin.length <= 4096 ? { type: 'resume-auto', origin: msg.origin } : null;
    case 'protect-on-grant':
      if (typeof msg.origin !== 'string' || msg.origin.length > 4096) return null;
      return msg.cancel === true ? { type: 'protect-on-grant', origin: msg.origin, cancel: true } : { type: 'protect-on-grant', origin: msg.origin };
    case 'settings-aside':
      return msg.action === 'dismiss' || msg.action === 'delete' || msg.action === 'restore' ? { type: 'settings-aside', action: msg.action } : null;
  }
}

const OPTION_KEYS = ['protect', 'autoClear', 'keepSiteData', 'includeCookies', 'autoClearSiteData', 'clearShared'] as const;

/** Only known options, each of its own type: a change from a page is data, never a blank cheque. */
function parseSiteChange(raw: unknown): SiteChange | null {
  if (!raw || typeof raw !== 'object') return null;
  const c = raw as Record<string, unknown>;
  if (c.kind === 'protect') return typeof c.on === 'boolean' ? { kind: 'protect', on: c.on } : null;
  if (c.kind === 'add-app') return typeof c.path === 'string' && isAppPath(c.path) ? { kind: 'add-app', path: c.path } : null;
  if (c.kind !== 'options' || !c.patch || typeof c.patch !== 'object') return null;
  const patch: Partial<SiteOptions> = {};
  for (const [key, value] of Object.entries(c.patch)) {
    if ((OPTION_KEYS as readonly string[]).includes(key) && typeof value === 'boolean') (patch as Record<string, boolean>)[key] = value;
    else if (key === 'mode' && (value === 'revalidate' || value === 'bypass')) patch.mode = value;
    else return null;
  }
  return { kind: 'options', patch };
}

export function parseContentMessage(raw: unknown): ContentMessage | null {
  if (!raw || typeof raw !== 'object') return null;
  const type = (raw as { type?: unknown }).type;
  if (type === 'notice-clear') {
    const docId = (raw as { docId?: unknown }).docId;
    return typeof docId === 'string' && /^[\w-]{8,64}$/.test(docId) ? { type, docId } : null;
  }
  if (type === 'page-signal') {
    const signal = parseSignal(raw);
    return signal ? { type, ...signal } : null;
  }
  if (type !== 'page-report') return null;
  const report = parsePageReport(raw, (kind) => Object.hasOwn(APP_NAMES, kind));
  return report ? { type: 'page-report', ...report } : null;
}
