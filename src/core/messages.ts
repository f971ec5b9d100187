import type { ClearResult } from './clear-report';
import type { Fingerprint } from './fingerprint';
import type { Origin, TabTarget } from './origin';

/**
 * The one contract between extension pages (popup, options) and the background.
 * Every request names its response type; the background answers nothing else.
 */
export interface UiToBackground {
  'clear-tab': { request: { tabId: number }; response: ClearResult };
  'tab-status': { request: { tabId: number }; response: TabStatus };
  'check-version': { request: { origin: Origin }; response: VersionCheck };
}

export type MessageType = keyof UiToBackground;
export type RequestOf<T extends MessageType> = UiToBackground[T]['request'];
export type ResponseOf<T extends MessageType> = UiToBackground[T]['response'];
export type UiMessage = { [T in MessageType]: { type: T } & RequestOf<T> }[MessageType];

export interface TabStatus {
  target: TabTarget;
  /** The page's origin gets fresh-loading headers right now. */
  protected: boolean;
  /** Stalebuster may script and clear this origin (loopback, or a granted host). */
  granted: boolean;
  busy: boolean;
  fingerprint: Fingerprint | null;
}

export type VersionCheck = { ok: true; fingerprint: Fingerprint } | { ok: false; error: 'unreachable' | 'not-html' | 'no-permission' };

const TYPES: readonly MessageType[] = ['clear-tab', 'tab-status', 'check-version'];

/** Structural check of an incoming message; anything else is ignored. */
export function parseUiMessage(raw: unknown): UiMessage | null {
  if (!raw || typeof raw !== 'object') return null;
  const msg = raw as Record<string, unknown>;
  if (typeof msg.type !== 'string' || !(TYPES as readonly string[]).includes(msg.type)) return null;
  switch (msg.type as MessageType) {
    case 'clear-tab':
    case 'tab-status':
      return Number.isInteger(msg.tabId) && (msg.tabId as number) >= 0 ? ({ type: msg.type, tabId: msg.tabId } as UiMessage) : null;
    case 'check-version':
      return typeof msg.origin === 'string' ? { type: 'check-version', origin: msg.origin } : null;
  }
}

/**
 * Content script → background. The page of a protected origin came back through
 * history (Back/Forward, or a back/forward-cache restore): browsers take such a
 * document from the cache without revalidating, whatever the request headers say.
 */
export interface ContentToBackground {
  'history-return': { request: Record<string, never>; response: { reload: boolean } };
}
export type ContentMessage = { type: keyof ContentToBackground };

export function parseContentMessage(raw: unknown): ContentMessage | null {
  return raw && typeof raw === 'object' && (raw as { type?: unknown }).type === 'history-return' ? { type: 'history-return' } : null;
}
