import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { FIREFOX_DIST, FIREFOX_PATH } from './paths';
import { wrapPage } from './page-like';
import { untilRulesInstalled, type BrowserSession, type PageLike } from './session';

export interface FirefoxOptions {
  headless?: boolean;
  /** A profile whose system theme is dark (prefers-color-scheme: dark everywhere). */
  dark?: boolean;
  /** A profile directory to use (and keep): a relaunch on it finds the extension's storage again. */
  profileDir?: string;
  /** The unpacked extension to install (default: the build in dist/firefox). */
  extensionDir?: string;
  /** LAN-like names this browser resolves to 127.0.0.1 (and nothing else): tests never reach a real network. */
  lanNames?: readonly string[];
}

/**
 * Stock Firefox ESR over WebDriver BiDi (Playwright cannot drive it). The add-on
 * is installed as a temporary add-on with its host permissions granted; on
 * install it opens its options page, which serves as our handle on the
 * extension APIs since BiDi may not navigate to moz-extension:// itself.
 */
export class FirefoxSession implements BrowserSession {
  readonly name = 'firefox' as const;

  private constructor(
    readonly browser: Browser,
    readonly optionsPage: Page,
  ) {}

  static async launch(options: FirefoxOptions = {}): Promise<FirefoxSession> {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: options.headless ?? true,
      ...(options.profileDir ? { userDataDir: options.profileDir } : {}),
      extraPrefsFirefox: {
        // Let notifications be created without a system prompt; nothing else differs from a user profile.
        'alerts.useSystemBackend': false,
        ...(options.dark ? { 'ui.systemUsesDarkTheme': 1 } : {}),
        ...(options.lanNames?.length ? { 'network.dns.localDomains': options.lanNames.join(',') } : {}),
      },
    });
    try {
      await browser.installExtension(options.extensionDir ?? FIREFOX_DIST);
      const optionsPage = await FirefoxSession.findOptionsPage(browser);
      const session = new FirefoxSession(browser, optionsPage);
      await untilRulesInstalled(session);
      return session;
    } catch (e) {
      await browser.close();
      throw e;
    }
  }

  private static async findOptionsPage(browser: Browser): Promise<Page> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      for (const page of await browser.pages()) {
        const href = await page.evaluate(() => location.href).catch(() => '');
        if (href.startsWith('moz-extension://') && href.includes('/src/options/')) return page;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('The extension did not open its options page after install');
  }

  /**
   * The popup page in a tab of its own, describing tab `tabId` (`?tab=`): a test
   * cannot click Firefox's toolbar button. WebDriver BiDi may not navigate to
   * moz-extension://, so the extension opens it and the page is found by its URL.
   */
  async openPopupFor(tabId: number): Promise<Page> {
    const marker = `${tabId}-${Date.now()}`;
    await this.extension(
      ({ tabId, marker }) => chrome.tabs.create({ url: chrome.runtime.getURL(`src/popup/index.html?tab=${tabId}&m=${marker}`), active: true }),
      { tabId, marker },
    );
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      for (const page of await this.browser.pages()) {
        // A page in the middle of a navigation can leave an evaluate hanging: do not wait on it.
        const href = await Promise.race([page.evaluate(() => location.href).catch(() => ''), new Promise<string>((r) => setTimeout(() => r(''), 500))]);
        if (href.includes(`m=${marker}`)) {
          await page.waitForSelector('main:not([aria-busy])');
          return page;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the popup page did not open');
  }

  async newPage(): Promise<PageLike> {
    return wrapPage(await this.browser.newPage());
  }

  async newToolbarlessPage(url: string): Promise<PageLike> {
    const before = new Set(await this.browser.pages());
    await this.extension((url) => chrome.windows.create({ url, type: 'popup' }).then(() => undefined), url);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      for (const page of await this.browser.pages()) {
        if (before.has(page)) continue;
        const href = await Promise.race([page.evaluate(() => location.href).catch(() => ''), new Promise<string>((r) => setTimeout(() => r(''), 500))]);
        if (href.startsWith(url)) return wrapPage(page);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no window without a toolbar showed ${url}`);
  }

  /**
   * A tab in a new container: Firefox implements WebDriver BiDi user contexts
   * as containers, so the extension sees the tab with a `cookieStoreId` of its own.
   */
  async newPageInContainer(): Promise<PageLike> {
    return wrapPage(await (await this.browser.createBrowserContext()).newPage());
  }

  async extension<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    return this.optionsPage.evaluate(fn as never, arg) as Promise<R>;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
