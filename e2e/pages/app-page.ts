import type { AppServer } from '../fixtures/app-server';
import type { BrowserSession, PageLike } from '../drivers/session';

export interface StoreSnapshot {
  workers: { scope: string; state: string | null }[];
  controlled: boolean;
  caches: string[];
  databases: string[];
  chat: string | null;
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
}

declare global {
  interface Window {
    __APP_VERSION__?: number;
    __PLUGIN_VERSION__?: number;
    __READY__?: boolean;
    __seed?: () => Promise<boolean>;
    __userState?: string;
    __seedChats?: (count: number, attachmentBytes?: number) => Promise<boolean>;
    __dumpSite?: () => Promise<SiteData>;
  }
}

/** An origin's IndexedDB (schema, keys, values, Blob bytes) and localStorage, comparable as JSON. */
export interface SiteData {
  localStorage: Record<string, string>;
  databases: Record<string, Record<string, { keyPath: unknown; autoIncrement: boolean; indexes: unknown[]; keys: unknown[]; values: unknown[] }>>;
}

/** The test app as the user sees it in one tab. */
export class AppPage {
  /** `url`: where the browser reaches the app (behind a reverse proxy's path, say); its server's root by default. */
  constructor(
    readonly page: PageLike,
    readonly app: AppServer,
    readonly url = `${app.origin}/`,
  ) {}

  /** The app in a new tab, used once: its service worker (if it has one) now controls the page. */
  static async seeded(session: BrowserSession, app: AppServer, url?: string): Promise<AppPage> {
    const page = new AppPage(await session.newPage(), app, url);
    await page.open();
    await page.seed();
    return page;
  }

  async open(): Promise<void> {
    await this.page.goto(this.url);
    await this.ready();
  }

  async ready(): Promise<void> {
    await this.page.waitFor(() => window.__READY__ === true && document.readyState === 'complete');
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.ready();
  }

  /** Leaves and comes back, as a user does from the address bar or a bookmark. */
  async navigateAwayAndBack(): Promise<void> {
    await this.page.goto('about:blank');
    await this.open();
  }

  /** When the document in the tab started (`performance.timeOrigin`): a new document has another. */
  documentStamp(): Promise<number> {
    return this.page.evaluate(() => performance.timeOrigin);
  }

  /** Waits for a document other than the one stamped `stamp` to be loaded and ready (a reload has happened). */
  async waitForNewDocument(stamp: number, timeoutMs = 20_000): Promise<void> {
    await this.page.waitFor((s) => performance.timeOrigin !== s && window.__READY__ === true && document.readyState === 'complete', stamp, timeoutMs);
  }

  appVersion(): Promise<number | undefined> {
    return this.page.evaluate(() => window.__APP_VERSION__);
  }

  pluginVersion(): Promise<number | undefined> {
    return this.page.evaluate(() => window.__PLUGIN_VERSION__);
  }

  /** Uses the app: registers its worker, writes storage; then reloads so the worker controls the page. */
  async seed(): Promise<void> {
    await this.page.evaluate(() => window.__seed!());
    await this.reload();
    await this.page.waitFor(() => !('serviceWorker' in navigator) || navigator.serviceWorker.controller !== null || !window.__seed);
  }

  waitForVersion(version: number, timeoutMs = 20_000): Promise<void> {
    return this.page.waitFor((v) => window.__APP_VERSION__ === v && document.readyState === 'complete', version, timeoutMs);
  }

  /** Fills the app's chat history and workflow (see the fixture's __seedChats). */
  seedChats(count: number, attachmentBytes?: number): Promise<boolean> {
    return this.page.evaluate(({ count, attachmentBytes }) => window.__seedChats!(count, attachmentBytes), { count, attachmentBytes });
  }

  siteData(): Promise<SiteData> {
    return this.page.evaluate(() => window.__dumpSite!());
  }

  /** What a user has in the page and would lose on a reload (a half-typed prompt). */
  setUserState(value: string): Promise<void> {
    return this.page.evaluate((v) => void (window.__userState = v), value);
  }

  userState(): Promise<string | undefined> {
    return this.page.evaluate(() => window.__userState);
  }

  /** How the document in the tab came to be: navigate, reload or back_forward (a bfcache restore keeps its entry). */
  navigationType(): Promise<string | undefined> {
    return this.page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.type);
  }

  /** How each document of the app in this tab came: the app logs it (navigate, reload, back_forward, bfcache). */
  loads(): Promise<string[]> {
    return this.page.evaluate(() => JSON.parse(sessionStorage.getItem('loads') ?? '[]') as string[]);
  }

  /** Document loads of this app that reached the server since the last reset. */
  documentLoads(): number {
    return this.app.requests.filter((r) => r.path.split('?')[0] === '/' && r.dest === 'document').length;
  }

  /** Requests the extension itself sent to this server (its own fetches carry no document destination). */
  extensionRequests(): number {
    return this.app.requests.filter((r) => r.dest === 'empty').length;
  }

  snapshot(): Promise<StoreSnapshot> {
    return this.page.evaluate(async () => {
      const registrations = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistrations() : [];
      const databases = (await indexedDB.databases()).map((d) => d.name ?? '').sort();
      let chat: string | null = null;
      if (databases.includes('app-db')) {
        chat = await new Promise<string | null>((resolve) => {
          const open = indexedDB.open('app-db');
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('chats')) return resolve(null);
            const get = db.transaction('chats').objectStore('chats').get('first');
            get.onsuccess = () => { db.close(); resolve((get.result as string | undefined) ?? null); };
            get.onerror = () => { db.close(); resolve(null); };
          };
          open.onerror = () => resolve(null);
        });
      }
      const dump = (s: Storage) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i)!, s.getItem(s.key(i)!)!]));
      return {
        workers: registrations.map((r) => ({ scope: r.scope, state: r.active?.state ?? null })),
        controlled: 'serviceWorker' in navigator && navigator.serviceWorker.controller !== null,
        caches: (await caches.keys()).sort(),
        databases,
        chat,
        localStorage: dump(localStorage),
        sessionStorage: dump(sessionStorage),
      };
    });
  }
}

export const EMPTY_STORES = {
  workers: [],
  caches: [],
  databases: [],
  chat: null,
  localStorage: {},
  sessionStorage: {},
};
