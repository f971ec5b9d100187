import type { MessageType, ResponseOf, SendOf } from '../core/commands';
import { browser, type Runtime } from './browser';

/** Typed request from an extension page to the background. */
export async function send<T extends MessageType>(type: T, request: SendOf<T>): Promise<ResponseOf<T>> {
  return (await browser.runtime.sendMessage({ type, ...request })) as ResponseOf<T>;
}

/** A sender that isOwnContentScript vouched for: the tab, the frame and its URL are the browser's word. */
export type OwnContentSender = Runtime.MessageSender & { tab: { id: number }; url: string; frameId: number };

/** Our own content script, in a tab's top frame; what it may ask concerns only that tab. */
export function isOwnContentScript(sender: Runtime.MessageSender, opts: { frames?: boolean } = {}): sender is OwnContentSender {
  return (
    sender.id === browser.runtime.id &&
    sender.tab?.id !== undefined &&
    typeof sender.frameId === 'number' &&
    // Only a page report may come from a frame (an embedded app is judged in its frame); signals, notices and
    // everything that acts on the tab answer to its top document alone.
    (sender.frameId === 0 || opts.frames === true) &&
    typeof sender.url === 'string' &&
    /^https?:/.test(sender.url)
  );
}

