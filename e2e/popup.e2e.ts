import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumSession } from './drivers/chromium';
import { FirefoxSession } from './drivers/firefox';
import { BROWSERS, launch, type BrowserName } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { AppPage } from './pages/app-page';
import { ExtensionState } from './pages/extension-state';
import { openOptions } from './pages/options-page';
import { axeViolations, openPopup, type PopupPage } from './pages/popup-page';

/**
 * The built popup in each of its states, in both browsers (Chromium: the real
 * toolbar popup; Firefox: the same page in a tab): its first line, its one
 * action, its keyboard order and names, its height, and axe-core, light and dark.
 */
interface Expected {
  title: string;
  primary: { name: string; disabled: boolean };
  order: string[];
}

async function check(popup: PopupPage, expected: Expected): Promise<void> {
  expect((await popup.status()).title).toBe(expected.title);
  expect(await popup.primaryAction()).toEqual(expected.primary);
  expect(await popup.tabOrder(expected.order.length)).toEqual(expected.order);
  // Options collapsed: the popup stays small.
  expect(await popup.page.evaluate(() => Math.ceil(document.querySelector('main')!.getBoundingClientRect().bottom))).toBeLessThanOrEqual(480);
  expect(await popup.axeViolations()).toEqual([]);
}

describe.each(BROWSERS)('popup in %s', (browserName: BrowserName) => {
  let session: BrowserSession;
  let dark: BrowserSession | null = null;
  let state: ExtensionState;
  let app: AppServer;
  let devServer: AppServer;
  let page: AppPage;

  beforeAll(async () => {
    app = await new AppServer({ port: 7860, urlHost: 'localhost', name: 'popup-app', serviceWorker: true, gradio: true }).start();
    devServer = await new AppServer({ port: 4180, urlHost: 'localhost', name: 'dev-server' }).start();
    session = await launch(browserName);
    state = new ExtensionState(session);
    page = await AppPage.seeded(session, app);
  });
  afterAll(async () => {
    await session?.close();
    await dark?.close();
    await app?.stop();
    await devServer?.stop();
  });

  /**
   * The same popup in dark mode, in Chromium (emulated over CDP). Firefox cannot
   * emulate it over WebDriver BiDi: its dark mode is checked with a dark profile
   * in the last test of this file.
   */
  async function darkViolationsInChromium(popup: PopupPage): Promise<unknown[]> {
    if (!(session instanceof ChromiumSession)) return [];
    await popup.dark();
    return popup.axeViolations();
  }

  it('up to date: says so, offers Clear & reload', async () => {
    await state.waitForVerdict(app.origin, 'fresh');
    const popup = await openPopup(session, page.page, app.origin);
    await check(popup, { title: 'Up to date', primary: { name: 'Clear & reload', disabled: false }, order: ['Settings', 'Clear & reload', 'Options for this site', 'Change'] });
    expect(await darkViolationsInChromium(popup)).toEqual([]);
    await popup.page.close();
  });

  it('runs old code: says what changed, offers Clear & reload; after it, Undo appears', async () => {
    app.upgrade();
    await page.reload(); // its service worker keeps it on the old build
    await state.waitForVerdict(app.origin, 'stale');
    let popup = await openPopup(session, page.page, app.origin);
    expect((await popup.status()).detail).toContain('5.1.0 → 5.2.0');
    await check(popup, { title: 'Runs old code', primary: { name: 'Clear & reload', disabled: false }, order: ['Settings', 'Clear & reload', 'Options for this site', 'Change'] });
    expect(await darkViolationsInChromium(popup)).toEqual([]);
    await popup.clearAndReload();
    await page.waitForVersion(2);
    await popup.page.close().catch(() => undefined);

    await state.waitForVerdict(app.origin, 'fresh');
    popup = await openPopup(session, page.page, app.origin);
    await popup.page.waitForSelector('.undo-row');
    expect(await popup.page.$eval('#undo-hint', (el) => el.textContent)).toMatch(/^Puts back the data from before the clear at \d.+ \(\d.* B, kept until .+\), replacing what the app saved since\.$/);
    await check(popup, { title: 'Up to date', primary: { name: 'Clear & reload', disabled: false }, order: ['Settings', 'Clear & reload', 'Undo', 'Options for this site', 'Change'] });
    expect(await darkViolationsInChromium(popup)).toEqual([]);
    await popup.page.close();
  });

  it('not protected: says so, offers Protect this site', async () => {
    const dev = new AppPage(await session.newPage(), devServer);
    await dev.open();
    const popup = await openPopup(session, dev.page, devServer.origin);
    await check(popup, { title: 'Not protected', primary: { name: 'Protect this site', disabled: false }, order: ['Settings', 'Protect this site', 'Options for this site', 'Change'] });
    expect(await darkViolationsInChromium(popup)).toEqual([]);
    await popup.page.close();
    await dev.page.close();
  });

  it("can't act here: says why, and the action is disabled", async () => {
    const other = await session.newPage();
    await other.goto(session instanceof ChromiumSession ? 'chrome://version' : 'about:blank');
    const popup = await openPopup(session, other);
    await check(popup, { title: "Can't act here", primary: { name: 'Clear & reload', disabled: true }, order: ['Settings', 'Change'] });
    expect((await popup.status()).detail).toBe("Stalebuster can't reach this page: browser pages, extension stores and local files are off limits to extensions.");
    expect(await darkViolationsInChromium(popup)).toEqual([]);
    await popup.page.close();
    await other.close();
  });

  it('the options page has no accessibility violations, light and dark', async () => {
    const options = await openOptions(session);
    // The control: a planted image without a text alternative is reported, so a clean result means something.
    await options.page.evaluate(() => document.body.append(Object.assign(document.createElement('img'), { id: 'axe-control', src: 'icons/icon-16.png' })));
    expect((await axeViolations(options.page)).map((v) => v.id)).toContain('image-alt');
    await options.page.evaluate(() => document.getElementById('axe-control')?.remove());
    expect(await axeViolations(options.page)).toEqual([]);
    if (session instanceof ChromiumSession) {
      await options.page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      expect(await axeViolations(options.page)).toEqual([]);
    }
  });

  it('Firefox in dark mode: popup and options have no accessibility violations', async () => {
    if (!(session instanceof FirefoxSession)) return; // Chromium's dark mode is checked above, per state
    const darkSession = (dark = await FirefoxSession.launch({ dark: true }));
    const darkPage = new AppPage(await darkSession.newPage(), app);
    await darkPage.open();
    const popup = await openPopup(darkSession, darkPage.page, app.origin);
    await popup.status();
    expect(await popup.page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
    expect(await popup.axeViolations()).toEqual([]);
    expect(await axeViolations(darkSession.optionsPage)).toEqual([]);
  });
});
