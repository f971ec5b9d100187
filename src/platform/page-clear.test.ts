import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearInPage, unregisterWorkersInPage } from './page-clear';

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

/** An origin behind a proxy: workers scoped to apps, and one cache named alike by both apps. */
function proxiedOrigin(origin: string, href = `${origin}/comfy/`) {
  const registrations = ['/comfy/', '/comfy/sub/', '/other/'].map((path) => ({ scope: origin + path, gone: false }));
  const caches = new Map<string, Set<string>>([
    ['shell-v1', new Set([`${origin}/comfy/`, `${origin}/comfy/app.js`, `${origin}/comfy/sub/x.js`, `${origin}/other/`, `${origin}/comfyx/y.js`])],
    ['comfy-only', new Set([`${origin}/comfy/a.js`])],
    // The app's own cache also holds its address without the slash, and a CDN file.
    ['comfy-extra', new Set([`${origin}/comfy`, `${origin}/comfy?pwa=1`, 'https://cdn.example/lib.js'])],
    ['fonts', new Set(['https://fonts.example/a.woff2'])],
  ]);
  vi.stubGlobal('location', { origin, href });
  vi.stubGlobal('navigator', {
    storage: { estimate: async () => ({ usage: 1000 }) },
    serviceWorker: {
      getRegistrations: async () => registrations.filter((r) => !r.gone).map((r) => ({ scope: r.scope, installing: null, unregister: async () => (r.gone = true) })),
    },
  });
  vi.stubGlobal('caches', {
    keys: async () => [...caches.keys()],
    delete: async (name: string) => caches.delete(name),
    open: async (name: string) => {
      const entries = caches.get(name) ?? caches.set(name, new Set()).get(name)!;
      return {
        keys: async () => [...entries].map((url) => ({ url })),
        delete: async (req: { url: string }) => entries.delete(req.url),
      };
    },
  });
  vi.stubGlobal('localStorage', storage({ workflow: 'shared' }));
  vi.stubGlobal('sessionStorage', storage({}));
  return { registrations, caches };
}

describe('clearInPage scoped to an app under a path', () => {
  const O = 'http://lab.test:8080';

  it('removes only the app\'s workers and cache entries: not a nested app\'s, not a look-alike path\'s, not another app\'s', async () => {
    const site = proxiedOrigin(O);
    const result = await clearInPage(O, false, { path: '/comfy/', keep: ['/comfy/sub/'] });
    expect(site.registrations.filter((r) => r.gone).map((r) => r.scope)).toEqual([`${O}/comfy/`]);
    expect([...site.caches.keys()]).toEqual(['shell-v1', 'comfy-extra', 'fonts']);
    expect([...site.caches.get('shell-v1')!]).toEqual([`${O}/comfy/sub/x.js`, `${O}/other/`, `${O}/comfyx/y.js`]);
    // `/comfy` is the app's address too; another origin's file is no path of this origin, and stays.
    expect([...site.caches.get('comfy-extra')!]).toEqual(['https://cdn.example/lib.js']);
    expect([...site.caches.get('fonts')!]).toEqual(['https://fonts.example/a.woff2']);
    expect(result).toMatchObject({ serviceWorkers: 1, caches: ['comfy-only'], localStorageItems: 0, scoped: { path: '/comfy/', cacheEntries: 5, otherWorkers: 2, otherCaches: 3 } });
    expect(structuredClone(result)).toEqual(result);
  });

  it('the rest of the origin leaves every declared app alone', async () => {
    const site = proxiedOrigin(O);
    const result = await clearInPage(O, false, { path: null, keep: ['/comfy/', '/other/'] });
    expect(site.registrations.every((r) => !r.gone)).toBe(true);
    expect([...site.caches.get('shell-v1')!]).not.toContain(`${O}/comfyx/y.js`);
    expect(site.caches.get('shell-v1')!.size).toBe(4);
    expect(site.caches.has('comfy-only')).toBe(true);
    // Not `/comfy` (the app's address), not another origin's files, not a cache of fonts from elsewhere.
    expect(site.caches.get('comfy-extra')!.size).toBe(3);
    expect(site.caches.get('fonts')!.size).toBe(1);
    expect(result?.scoped).toEqual({ path: null, cacheEntries: 1, otherWorkers: 3, otherCaches: 4 });
  });
});

describe('unregisterWorkersInPage (a pause)', () => {
  const O = 'http://lab.test:8080';
  it('removes the workers that could answer this page, not other apps\' of the origin', async () => {
    const site = proxiedOrigin(O, `${O}/comfy/sub/page`);
    expect(await unregisterWorkersInPage(O)).toBe(2);
    expect(site.registrations.filter((r) => r.gone).map((r) => r.scope)).toEqual([`${O}/comfy/`, `${O}/comfy/sub/`]);
  });

  it('does nothing in a page of another origin', async () => {
    const site = proxiedOrigin('http://lab.test:9090');
    expect(await unregisterWorkersInPage(O)).toBe(0);
    expect(site.registrations.every((r) => !r.gone)).toBe(true);
  });
});
