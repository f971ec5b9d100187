/**
 * The background's side of the messaging contract: every request checked
 * against its declaration (core/commands) and answered only for the senders
 * the declaration names.
 */
import { parseContentMessage, parseUiMessage, type ContentMessage, type ContentRequestOf, type ContentResponseOf, type ContentType, type MessageType, type RequestOf, type ResponseOf, type UiMessage } from '../core/commands';
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
    // Every page command is declared `extension-page` (core/commands parseUiMessage says so in its type).
    const parsed = parseUiMessage(raw);
    if (!parsed || !isOwnExtensionPage(sender)) return undefined;
    const handler = handlers[parsed.message.type] as (m: UiMessage) => Promise<unknown>;
    return ready().then(() => handler(parsed.message));
  });
}

type ContentHandlers = {
  [T in ContentType]: (tab: { id: number; url: string }, request: ContentRequestOf<T>) => Promise<ContentResponseOf<T>>;
} & {
  /** A page report from a frame of the tab (an embedded app): judged and shown, never acted on. */
  'frame-report': (frame: { id: number; url: string; frameId: number }, report: ContentRequestOf<'page-report'>) => Promise<ContentResponseOf<'page-report'>>;
};

function withoutType<T extends { type: string }>(message: T): Omit<T, 'type'> {
  const { type, ...rest } = message;
  void type;
  return rest;
}

/** The tab and its URL come from the sender the browser vouches for, never from the message. */
export function handleContentMessages(handlers: ContentHandlers, ready: () => Promise<void>): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    const parsed = parseContentMessage(raw);
    // Our content script, in the top frame unless the command's declaration allows any frame.
    if (!parsed || !isOwnContentScript(sender, { frames: parsed.from === 'content-script-in-any-frame' })) return undefined;
    return ready().then(() => handleContent(handlers, parsed.message, sender));
  });
}

function handleContent(handlers: ContentHandlers, message: ContentMessage, sender: OwnContentSender): Promise<unknown> | undefined {
  if (sender.frameId !== 0) {
    return message.type === 'page-report' ? handlers['frame-report']({ id: sender.tab.id, url: sender.url, frameId: sender.frameId }, withoutType(message)) : undefined;
  }
  const tab = { id: sender.tab.id, url: sender.url };
  if (message.type === 'notice-clear') return handlers['notice-clear'](tab, withoutType(message));
  if (message.type === 'page-signal') return handlers['page-signal'](tab, withoutType(message));
  return handlers['page-report'](tab, withoutType(message));
}
