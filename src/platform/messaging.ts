import type { MessageType, RequestOf, ResponseOf } from '../core/messages';
import { browser, type Runtime } from './browser';

/** Typed request from an extension page to the background. */
export async function send<T extends MessageType>(type: T, request: RequestOf<T>): Promise<ResponseOf<T>> {
  return (await browser.runtime.sendMessage({ type, ...request })) as ResponseOf<T>;
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

