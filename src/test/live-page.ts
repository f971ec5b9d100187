/**
 * A page whose scripts run for real inside the fake browser: the extension's
 * injected functions (clearInPage, siteDataInPage…) and the real undo agent
 * (content/undo-agent.iife.ts, bundled into one script as the build injects
 * it; esbuild here, vite in the build) run in a realm
 * of their own, over the page's own storage: its IndexedDB (fake-indexeddb, a
 * factory apart from the extension's), localStorage and sessionStorage, Cache
 * Storage and service workers. Its own realm, as in a browser's isolated world:
 * objects cross between page and extension as they do there (by class, never
 * `instanceof`), and the extension's own IndexedDB is not the page's.
 *
 * As `scripting.executeScript({ func })` does, an injected function is run from
 * its source text: one that reached outside itself would fail here as in the
 * browser.
 */
import { fileURLToPath } from 'node:url';
import { createContext, runInContext, type Context } from 'node:vm';
import { build } from 'esbuild';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';

/** A Storage (localStorage, sessionStorage) in memory. */
export class MemoryStorage {
  private map = new Map<string, string>();
  get length() { return this.map.size; }
  key(i: number) { return [...this.map.keys()][i] ?? null; }
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, String(v)); }
  removeItem(k: string) { this.map.delete(k); }
  clear() { this.map.clear(); }
  entries(): [string, string][] { return [...this.map.entries()]; }
}

/** Cache Storage of one origin: named caches of request URLs. */
class MemoryCaches {
  readonly caches = new Map<string, Set<string>>();
  async keys() { return [...this.caches.keys()]; }
  async delete(name: string) { return this.caches.delete(name); }
  async open(name: string) {
    const entries = this.caches.get(name) ?? new Set<string>();
    this.caches.set(name, entries);
    return {
      keys: async () => [...entries].map((url) => ({ url })),
      delete: async (request: string | { url: string }) => entries.delete(typeof request === 'string' ? request : request.url),
    };
  }
}

let agentSource: Promise<string> | null = null;
/** The undo agent as the extension injects it: one script, its imports bundled in. */
function bundledAgent(): Promise<string> {
  agentSource ??= build({
    entryPoints: [fileURLToPath(new URL('../content/undo-agent.iife.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'es2022',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return agentSource;
}

export interface LivePage {
  origin: string;
  url: string;
  indexedDB: IDBFactory;
  localStorage: MemoryStorage;
  sessionStorage: MemoryStorage;
  caches: MemoryCaches;
  workers: { scope: string }[];
  /** Runs an injected function from its source, with structured-cloned arguments, as executeScript does. */
  run(func: (...args: never[]) => unknown, args: unknown[]): Promise<unknown>;
  /** Loads the undo agent file into the page (idempotent, as injecting it again is). */
  injectAgent(): Promise<void>;
}

/** `connect`: how the page's runtime.connect reaches the extension (the fake's ports). */
export function livePage(url: string, connect: (name: string) => unknown): LivePage {
  const origin = new URL(url).origin;
  const indexedDB = new IDBFactory();
  const localStorage = new MemoryStorage();
  const sessionStorage = new MemoryStorage();
  const caches = new MemoryCaches();
  const workers: { scope: string }[] = [];
  const context: Context = createContext({
    location: { origin, href: url },
    indexedDB, IDBKeyRange, localStorage, sessionStorage, caches,
    navigator: {
      storage: { estimate: async () => ({ usage: 1000 + JSON.stringify([...localStorage.entries()]).length }) },
      serviceWorker: {
        getRegistrations: async () => workers.map((w) => ({ scope: w.scope, unregister: async () => workers.splice(workers.indexOf(w), 1).length === 1 })),
      },
    },
    chrome: { runtime: { connect: ({ name }: { name: string }) => connect(name) } },
    Blob, Response, URL, TextEncoder, TextDecoder, crypto, structuredClone, DOMException, console,
    setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask,
  });
  let injected = false;
  return {
    origin, url, indexedDB, localStorage, sessionStorage, caches, workers,
    async run(func, args) {
      context.__args = structuredClone(args);
      return (await runInContext(`(${func.toString()})(...__args)`, context)) as unknown;
    },
    async injectAgent() {
      if (injected) return;
      runInContext(await bundledAgent(), context);
      injected = true;
    },
  };
}
