import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearInPage } from './page-clear';

/** A Storage as a page has it. */
function storage(items: Record<string, string>): Storage {
  const map = new Map(Object.entries(items));
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k: string) => map.get(k) ?? null,
    key: (i: number) => [...map.keys()][i] ?? null,
    removeItem: (k: string) => void map.delete(k),
    setItem: (k: string, v: string) => void map.set(k, v),
  };
}

/** The page's own globals, as a page on `origin` sees them; `cachesError` makes Cache Storage throw as Firefox does on http://[::1]. */
function pageOn(origin: string, opts: { cachesError?: Error } = {}) {
  const unregistered: string[] = [];
  const cacheNames = new Set(['shell-v1']);
  const local = storage({ workflow: 'mine' });
  const session = storage({ tab: 'state' });
  vi.stubGlobal('location', { origin });
  vi.stubGlobal('navigator', {
    storage: { estimate: async () => ({ usage: 1000 }) },
    serviceWorker: { getRegistrations: async () => [{ unregister: async () => unregistered.push('sw') > 0 }] },
  });
  vi.stubGlobal('caches', {
    keys: async () => {
      if (opts.cachesError) throw opts.cachesError;
      return [...cacheNames];
    },
    delete: async (name: string) => cacheNames.delete(name),
  });
  vi.stubGlobal('localStorage', local);
  vi.stubGlobal('sessionStorage', session);
  return { unregistered, cacheNames, local, session };
}

afterEach(() => vi.unstubAllGlobals());

describe('clearInPage (the function injected into the page)', () => {
  it('clears every store of its own origin', async () => {
    const page = pageOn('http://127.0.0.1:7860');
    const result = await clearInPage('http://127.0.0.1:7860', true);
    expect(result).toMatchObject({ serviceWorkers: 1, caches: ['shell-v1'], localStorageItems: 1, sessionStorageItems: 1 });
    expect(result?.failedSteps).toBeUndefined();
    expect([page.cacheNames.size, page.local.length, page.session.length]).toEqual([0, 0, 0]);
  });

  it('a step that throws (Cache Storage on http://[::1] in Firefox) is named, the other steps still run, the result is plain data', async () => {
    const page = pageOn('http://[::1]:7860', { cachesError: new DOMException('The operation is insecure.', 'SecurityError') });
    const result = await clearInPage('http://[::1]:7860', true);
    expect(result?.failedSteps).toEqual([{ step: 'cacheStorage', error: 'SecurityError: The operation is insecure.' }]);
    expect(result).toMatchObject({ serviceWorkers: 1, caches: [], localStorageItems: 1, sessionStorageItems: 1 });
    expect(page.unregistered).toEqual(['sw']);
    // What executeScript hands back must survive the structured clone (Firefox fails the whole call otherwise).
    expect(structuredClone(result)).toEqual(result);
  });

  it('does nothing in a page of another origin (the tab moved on)', async () => {
    const page = pageOn('http://127.0.0.1:8501');
    expect(await clearInPage('http://127.0.0.1:7860', true)).toBeNull();
    expect([page.cacheNames.size, page.local.length, page.unregistered.length]).toEqual([1, 1, 0]);
  });
});
