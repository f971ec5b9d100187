import { UNDO_AGENT_FILE } from './undo-agent-file';
import { browser, type Runtime } from './browser';
import { packagePath } from './compat';
import { isOwnContentScript } from './messaging';

/**
 * A backup or restore talks over one Port the page agent opens, named with a
 * one-time token. The background accepts it only from our own script in that
 * tab's top frame, on the origin it asked about; anything else is dropped.
 */
const expected = new Map<string, (port: Runtime.Port) => void>();

export function listenForUndoPorts(): void {
  browser.runtime.onConnect.addListener((port) => {
    const accept = expected.get(port.name);
    // Nobody waits for it (a stale or guessed name): closed, so the page's side does not wait forever.
    if (!accept) {
      port.disconnect();
      return;
    }
    expected.delete(port.name);
    accept(port);
  });
}

export function expectPort(name: string, tabId: number, origin: string, timeoutMs = 30_000): { port: Promise<Runtime.Port>; cancel: () => void } {
  let cancel = () => undefined as void;
  const port = new Promise<Runtime.Port>((resolve, reject) => {
    const timer = setTimeout(() => {
      expected.delete(name);
      reject(new Error('the page did not connect'));
    }, timeoutMs);
    cancel = () => {
      clearTimeout(timer);
      expected.delete(name);
      reject(new Error('cancelled'));
    };
    expected.set(name, (p) => {
      clearTimeout(timer);
      const sender = p.sender;
      if (!sender || !isOwnContentScript(sender) || sender.tab.id !== tabId || new URL(sender.url).origin !== origin) {
        p.disconnect();
        reject(new Error('a connection from somewhere else was refused'));
        return;
      }
      resolve(p);
    });
  });
  port.catch(() => undefined);
  return { port, cancel };
}

/** Injected: calls the agent the file defined, in the same isolated world. */
function runUndoAgent(call: string, args: unknown[]): unknown {
  const agent = (globalThis as { __stalebusterUndo?: Record<string, (...a: unknown[]) => unknown> }).__stalebusterUndo;
  return agent ? agent[call]!(...args) : { ok: false, error: 'no-agent' };
}

/**
 * Injects the page agent (idempotent: it only defines functions) and runs one
 * of its calls. Firefox reports an injection that failed as an `error` in the
 * frame's result instead of rejecting: both end as an exception here.
 */
export async function runAgent<R>(tabId: number, call: 'snapshot' | 'restore', args: unknown[]): Promise<R | null> {
  const failed = (r: { error?: unknown } | undefined) => {
    if (r?.error) throw new Error(`the page agent could not run: ${r.error instanceof Error ? r.error.message : JSON.stringify(r.error)}`);
  };
  const [loaded] = await browser.scripting.executeScript({ target: { tabId }, files: [packagePath(UNDO_AGENT_FILE)] });
  failed(loaded as { error?: unknown });
  const [result] = await browser.scripting.executeScript({ target: { tabId }, func: runUndoAgent, args: [call, args] as never });
  failed(result as { error?: unknown });
  return (result?.result as R | undefined) ?? null;
}
