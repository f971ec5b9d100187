import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser, type Page as PuppeteerPage } from 'puppeteer-core';
import { CHROME_DIST, CHROMIUM_PATH } from './paths';
import { wrapPage } from './page-like';
import { untilRulesInstalled, type BrowserSession, type PageLike } from './session';

export interface ChromiumOptions {
  headless?: boolean;
  /** e.g. 'zh-CN' to check the Chinese locale. */
  lang?: string;
  colorScheme?: 'light' | 'dark';
  /** The unpacked extension to load (default: the build in dist/chrome). */
  extensionDir?: string;
  /** LAN-like names this browser resolves to 127.0.0.1 (and nothing else): tests never reach a real network. */
  lanNames?: readonly string[];
}

export class ChromiumSession implements BrowserSession {
  readonly name = 'chromium' as const;
  private cdp: PuppeteerBrowser | null = null;

  private constructor(
    readonly context: BrowserContext,
    private worker: Worker,
    private readonly userDataDir: string,
  ) {}

  static async launch(options: ChromiumOptions = {}): Promise<ChromiumSession> {
    const userDataDir = mkdtempSync(join(tmpdir(), 'stalebuster-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: options.headless ?? true,
      locale: options.lang,
      colorScheme: options.colorScheme ?? 'light',
      args: [
        `--disable-extensions-except=${options.extensionDir ?? CHROME_DIST}`,
        `--load-extension=${options.extensionDir ?? CHROME_DIST}`,
        '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run',
        // A second, CDP-only door: Playwright does not surface the action popup as a page.
        '--remote-debugging-port=0',
        ...(options.lang ? [`--lang=${options.lang}`] : []),
        ...(options.lanNames?.length ? [`--host-resolver-rules=${options.lanNames.map((n) => `MAP ${n} 127.0.0.1`).join(', ')}`] : []),
      ],
      env: { ...process.env, ...(options.lang ? { LANGUAGE: options.lang.replace('-', '_') } : {}) },
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    // On install the extension opens its options page; let that land before a
    // test navigates, or Chromium may reuse the test's fresh tab for it.
    // It may take over the first blank tab (no 'page' event), so poll the URLs.
    // A fresh profile on a busy machine took over 5 s once (a bench run); the loop ends as soon as it is there.
    for (let i = 0; i < 400 && !context.pages().some((p) => p.url().includes('/src/options/index.html')); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const session = new ChromiumSession(context, worker, userDataDir);
    await untilRulesInstalled(session);
    return session;
  }

  get extensionId(): string {
    return new URL(this.worker.url()).host;
  }

  async newPage(): Promise<PageLike> {
    return wrapPage(await this.context.newPage());
  }

  async newToolbarlessPage(url: string): Promise<PageLike> {
    const opened = this.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(url) || p.url() === 'about:blank', timeout: 15_000 });
    await this.extension((url) => chrome.windows.create({ url, type: 'popup' }).then(() => undefined), url);
    const page = await opened;
    await page.waitForURL((u) => u.href.startsWith(url), { timeout: 15_000 });
    return wrapPage(page);
  }

  /** The raw Playwright page, for role- and label-based UI tests. */
  async newRawPage(): Promise<Page> {
    return this.context.newPage();
  }

  /**
   * Stops the extension's service worker, as Chromium does when it has been idle
   * (CDP ServiceWorker.stopWorker, from one of the extension's own pages), and
   * wakes it with a message: a new worker starts, and its start runs again.
   */
  async restartWorker(): Promise<void> {
    const page = await this.context.newPage();
    try {
      await page.goto(`chrome-extension://${this.extensionId}/src/options/index.html`);
      const cdp = await this.context.newCDPSession(page);
      const status = new Map<string, string>();
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${this.extensionId}/`)) status.set(v.versionId, v.runningStatus);
      });
      await cdp.send('ServiceWorker.enable');
      const until = async (what: string, done: () => boolean) => {
        for (const deadline = Date.now() + 15_000; !done(); await new Promise((r) => setTimeout(r, 50))) {
          if (Date.now() > deadline) throw new Error(`the extension's worker: ${what} (seen: ${JSON.stringify([...status])})`);
        }
      };
      await until('never listed', () => status.size > 0);
      const [versionId] = [...status.keys()] as [string];
      await cdp.send('ServiceWorker.stopWorker', { versionId });
      await until('never stopped', () => status.get(versionId) === 'stopped');
      await page.evaluate(() => chrome.runtime.sendMessage({ type: 'wake-up' }).catch(() => undefined));
      await until('never started again', () => status.get(versionId) === 'running');
      await cdp.detach();
    } finally {
      await page.close();
    }
  }

  async extension<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    // The worker may have been stopped and restarted since launch.
    if (!this.context.serviceWorkers().includes(this.worker)) {
      this.worker = this.context.serviceWorkers()[0] ?? (await this.context.waitForEvent('serviceworker'));
    }
    return this.worker.evaluate(fn as never, arg) as Promise<R>;
  }

  /**
   * Opens the real toolbar popup for the active tab (`action.openPopup`, or
   * `open`: the user's own way, which grants activeTab) and returns it as a
   * puppeteer page through the CDP door.
   */
  async openPopup(open?: () => void): Promise<PuppeteerPage> {
    const browser = await this.devtools();
    const seen = new Set((await browser.targets()).filter((t) => t.url().includes('/src/popup/')).map((t) => t));
    if (open) open();
    else await this.extension(() => chrome.action.openPopup());
    const target = await browser.waitForTarget((t) => t.url().includes('/src/popup/index.html') && !seen.has(t), { timeout: 10_000 });
    const popup = await target.asPage();
    // The frame is there at once (prerendered); the content once the background has answered.
    await popup.waitForSelector('main:not([aria-busy])');
    return popup;
  }

  /** Opens an extension page in a tab and returns it as a puppeteer page (one page-object API for both browsers). */
  async openExtensionPage(path: string): Promise<PuppeteerPage> {
    const url = `chrome-extension://${this.extensionId}/${path}`;
    const page = await this.context.newPage();
    await page.goto(url);
    const browser = await this.devtools();
    const target = await browser.waitForTarget((t) => t.url() === url, { timeout: 10_000 });
    return (await target.asPage())!;
  }

  private async devtools(): Promise<PuppeteerBrowser> {
    if (!this.cdp) {
      const [port, path] = readFileSync(join(this.userDataDir, 'DevToolsActivePort'), 'utf8').split('\n');
      this.cdp = await puppeteer.connect({ browserWSEndpoint: `ws://127.0.0.1:${port}${path}`, defaultViewport: null });
    }
    return this.cdp;
  }

  async close(): Promise<void> {
    await this.cdp?.disconnect().catch(() => undefined);
    await this.context.close();
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
