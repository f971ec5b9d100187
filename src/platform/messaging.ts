import {
  parseContentMessage, parseUiMessage,
  type ContentToBackground, type MessageType, type RequestOf, type ResponseOf, type UiMessage,
} from '../core/messages';
import type { PageReport } from '../core/staleness';
import { browser, type Runtime } from './browser';

/** Typed request from an extension page to the background. */
export async function send<T extends MessageType>(type: T, request: RequestOf<T>): Promise<ResponseOf<T>> {
  return (await browser.runtime.sendMessage({ type, ...request })) as ResponseOf<T>;
}

type Handlers = { [T in MessageType]: (request: RequestOf<T>) => Promise<ResponseOf<T>> };

/**
 * Answers only this extension's own pages: its content script and other
 * extensions never reach the privileged handlers.
 */
export function isOwnExtensionPage(sender: Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(browser.runtime.getURL(''));
}

export function handleMessages(handlers: Handlers): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    const message = parseUiMessage(raw);
    if (!message || !isOwnExtensionPage(sender)) return undefined;
    const handler = handlers[message.type] as (m: UiMessage) => Promise<unknown>;
    return handler(message);
  });
}

/** Our own content script, in a tab's top frame; what it may ask concerns only that tab. */
export function isOwnContentScript(sender: Runtime.MessageSender): sender is Runtime.MessageSender & { tab: { id: number }; url: string } {
  return (
    sender.id === browser.runtime.id &&
    sender.tab?.id !== undefined &&
    sender.frameId === 0 &&
    typeof sender.url === 'string' &&
    /^https?:/.test(sender.url)
  );
}

/** The tab and its URL come from the sender the browser vouches for, never from the message. */
export function handleContentMessages(
  handler: (tab: { id: number; url: string }, report: PageReport) => Promise<ContentToBackground['page-report']['response']>,
): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    if (!isOwnContentScript(sender)) return undefined;
    const message = parseContentMessage(raw);
    if (!message) return undefined;
    const { type, ...report } = message;
    void type;
    return handler({ id: sender.tab.id, url: sender.url }, report);
  });
}
