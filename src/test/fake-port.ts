/**
 * A connected pair of runtime Ports, as `runtime.connect` gives a content script
 * and `runtime.onConnect` gives the background. Messages arrive asynchronously
 * and structured-cloned, as in both browsers (Chromium: the manifest's
 * `message_serialization`).
 */
type Listener<A extends unknown[]> = (...args: A) => void;

function event<A extends unknown[]>() {
  const listeners = new Set<Listener<A>>();
  return {
    addListener: (l: Listener<A>) => void listeners.add(l),
    removeListener: (l: Listener<A>) => void listeners.delete(l),
    hasListener: (l: Listener<A>) => listeners.has(l),
    fire: (...args: A) => [...listeners].forEach((l) => l(...args)),
  };
}

export interface FakePort {
  name: string;
  sender?: { id: string; tab?: { id: number }; frameId?: number; url?: string };
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: ReturnType<typeof event<[unknown, FakePort]>>;
  onDisconnect: ReturnType<typeof event<[FakePort]>>;
}

export function portPair(name: string, sender: FakePort['sender']): { page: FakePort; ext: FakePort } {
  let open = true;
  const make = (s?: FakePort['sender']): FakePort => ({
    name,
    sender: s,
    postMessage: () => undefined,
    disconnect: () => undefined,
    onMessage: event<[unknown, FakePort]>(),
    onDisconnect: event<[FakePort]>(),
  });
  const page = make();
  const ext = make(sender);
  const wire = (from: FakePort, to: FakePort) => {
    from.postMessage = (message) => {
      if (!open) throw new Error('Attempting to use a disconnected port object');
      const copy = structuredClone(message);
      queueMicrotask(() => open && to.onMessage.fire(copy, to));
    };
    from.disconnect = () => {
      if (!open) return;
      open = false;
      queueMicrotask(() => to.onDisconnect.fire(to));
    };
  };
  wire(page, ext);
  wire(ext, page);
  return { page, ext };
}
