import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { FIREFOX_DIST, FIREFOX_PATH } from './paths';
import { wrapPage } from './page-like';
import { untilRulesInstalled, type BrowserSession, type PageLike } from './session';

export interface FirefoxOptions {
  headless?: boolean;
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
      extraPrefsFirefox: {
        // Let notifications be created without a system prompt; nothing else differs from a user profile.
        'alerts.useSystemBackend': false,
      },
    });
    try {
      await browser.installExtension(FIREFOX_DIST);
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

  async newPage(): Promise<PageLike> {
    return wrapPage(await this.browser.newPage());
  }

  async extension<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    return this.optionsPage.evaluate(fn as never, arg) as Promise<R>;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
