/**
 * The background's side of the messaging contract: every request checked
 * (core/message-parsers) and answered only for the senders allowed to send it.
 */
import { parseContentMessage, parseUiMessage } from '../core/message-parsers';
import type { ContentToBackground, MessageType, RequestOf, ResponseOf, UiMessage } from '../core/messages';
import type { PageReport } from '../core/staleness';
import { browser, type Runtime } from './browser';
import { isOwnContentScript, type OwnContentSender } from './messaging';

type Handlers = { [T in MessageType]: (request: RequestOf<T>) => Promise<ResponseOf<T>> };

/**
 * Answers only this extension's own pages: its content script and other
 * extensions never reach the privileged handlers.
 */
export function isOwnExtensionPage(sender: Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(browser.runtime.getURL(''));
}

/** `ready`: what a handler waits for first (the background's start). */
export function handleMessages(handlers: Handlers, ready: () => Promise<void>): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    const message = parseUiMessage(raw);
    if (!message || !isOwnExtensionPage(sender)) return undefined;
    const handler = handlers[message.type] as (m: UiMessage) => Promise<unknown>;
    return ready().then(() => handler(message));
  });
}

type ContentHandlers = {
  [T in keyof ContentToBackground]: (tab: { id: number; url: string }, request: ContentToBackground[T]['request']) => Promise<ContentToBackground[T]['response']>;
} & {
  /** A page report from a frame of the tab (an embedded app): judged and shown, never acted on. */
  'frame-report': (frame: { id: number; url: string; frameId: number }, report: PageReport) => Promise<ContentToBackground['page-report']['response']>;
};

function withoutType<T extends { type: string }>(message: T): Omit<T, 'type'> {
  const { type, ...rest } = message;
  void type;
  return rest;
}

/** The tab and its URL come from the sender the browser vouches for, never from the message. */
export function handleContentMessages(handlers: ContentHandlers, ready: () => Promise<void>): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    if (!isOwnContentScript(sender, { frames: true })) return undefined;
    const message = parseContentMessage(raw);
    if (!message) return undefined;
    return ready().then(() => handleContent(handlers, message, sender));
  });
}

type ContentMessage = NonNullable<ReturnType<typeof parseContentMessage>>;

function handleContent(handlers: ContentHandlers, message: ContentMessage, sender: OwnContentSender): Promise<unknown> | undefined {
  if (sender.frameId !== 0) {
    return message.type === 'page-report' ? handlers['frame-report']({ id: sender.tab.id, url: sender.url, frameId: sender.frameId }, withoutType(message)) : undefined;
  }
  const tab = { id: sender.tab.id, url: sender.url };
  if (message.type === 'notice-clear') return handlers['notice-clear'](tab, withoutType(message));
  if (message.type === 'page-signal') return handlers['page-signal'](tab, withoutType(message));
  return handlers['page-report'](tab, withoutType(message));
}
