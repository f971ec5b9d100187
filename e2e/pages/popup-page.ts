import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';
import { ChromiumSession } from '../drivers/chromium';
import type { FirefoxSession } from '../drivers/firefox';
import type { BrowserSession, PageLike } from '../drivers/session';
import { hostPatternFor } from '../../src/core/permissions';
import { ExtensionState } from './extension-state';
import { pressShortcut } from '../drivers/keyboard';
import { clickFirefoxToolbarButton, pressKeys, screenNow, untilScreenSettles } from '../drivers/user-input';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The popup for the tab showing `origin` (or the page `page` is on): in Chromium
 * the real toolbar popup of that tab; in Firefox, where a test cannot click the
 * toolbar button, the same built page in a tab of its own, told which tab to
 * describe.
 */
export async function openPopup(session: BrowserSession, page: PageLike, origin?: string): Promise<PopupPage> {
  if (session instanceof ChromiumSession) {
    await page.bringToFront();
    return new PopupPage(await session.openPopup());
  }
  const tabId = origin ? await new ExtensionState(session).tabIdOf(origin) : await activeTabId(session);
  return new PopupPage(await (session as FirefoxSession).openPopupFor(tabId));
}

/**
 * The popup as the user opens it, by hand, on the tab showing `origin` (its
 * window titled `windowTitle`): the browser then lets the extension read that
 * tab (activeTab), which a scripted opening does not. Chromium: the real popup,
 * opened by its key (Alt+Shift+S). Firefox: a real click on the toolbar button;
 * the popup it opened is closed and the same page is opened in a tab for that
 * tab (a test cannot reach Firefox's popup), with the access the click gave.
 * Needs a headful browser under Xvfb (e2e/run).
 */
export async function openPopupAsUser(session: BrowserSession, page: PageLike, windowTitle: string, origin: string): Promise<PopupPage> {
  await page.bringToFront();
  if (session instanceof ChromiumSession) return new PopupPage(await session.openPopup(() => pressShortcut(windowTitle, 'alt+shift+s')));
  // Watched on the screen: a script run in an extension page while Firefox opens the popup could hang.
  const before = screenNow();
  clickFirefoxToolbarButton(windowTitle);
  await untilScreenSettles(before);
  pressKeys('Escape');
  return new PopupPage(await (session as FirefoxSession).openPopupFor(await new ExtensionState(session).tabIdOf(origin)));
}

/**
 * Clicks `button` in the popup, which makes the browser ask for a permission,
 * and answers its prompt with Allow by keyboard, as a user would: Chromium's
 * dialog (which closes the toolbar popup as it opens) has Deny focused, so Tab
 * then Enter; Firefox's panel takes Alt+A. Both fade in, so the keys wait for
 * the screen to settle. Returns once the browser reports `origin`'s host granted.
 */
export async function clickAndAllow(session: BrowserSession, popup: PopupPage, button: string, origin: string): Promise<void> {
  const pattern = hostPatternFor(origin);
  const granted = () => session.extension((pattern) => chrome.permissions.contains({ origins: [pattern] }), pattern);
  const before = screenNow();
  await popup.button(button).click();
  if (session instanceof ChromiumSession) {
    // Chromium closes the toolbar popup as its dialog opens: what follows the grant is the background's work.
    for (let i = 0; i < 200 && !popup.page.isClosed(); i++) await new Promise((r) => setTimeout(r, 50));
    if (!popup.page.isClosed()) throw new Error('Chromium kept the popup open behind its permission dialog: this test no longer proves the grant is followed without it');
  }
  await untilScreenSettles(before);
  pressKeys(...(session instanceof ChromiumSession ? ['Tab', 'Return'] : ['alt+a']));
  for (let i = 0; i < 100 && !(await granted()); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await granted())) throw new Error(`the permission prompt for ${origin} was not answered with Allow`);
}

async function activeTabId(session: BrowserSession): Promise<number> {
  await new Promise((r) => setTimeout(r, 200));
  return session.extension(async () => {
    const tabs = await chrome.tabs.query({ active: true });
    return tabs.find((t) => !t.url?.startsWith('moz-extension:'))?.id ?? tabs[0]!.id!;
  });
}

/** The popup, driven by role and accessible name. */
export class PopupPage {
  constructor(readonly page: Page) {}

  button(name: string) {
    return this.page.locator(`::-p-aria([name="${name}"][role="button"])`);
  }

  switchNamed(name: string) {
    return this.page.locator(`::-p-aria([name="${name}"][role="switch"])`);
  }

  async clearAndReload(): Promise<void> {
    await this.button('Clear & reload').click();
  }

  /** The status line: "Up to date", "Runs old code", "Not protected", "Can't act here"… and its detail. */
  async status(): Promise<{ title: string; detail: string; tone: string }> {
    const card = await this.page.waitForSelector('[data-testid="page-status"]:not(.status-checking)', { timeout: 20_000 });
    return card!.evaluate((el) => ({
      title: el.querySelector('.status-title')?.textContent ?? '',
      detail: el.querySelector('.status-detail')?.textContent ?? '',
      tone: [...el.classList].find((c) => c.startsWith('status-') && c !== 'status-card')?.slice('status-'.length) ?? '',
    }));
  }

  /** The main action's name (the first full-width button). */
  async primaryAction(): Promise<{ name: string; disabled: boolean }> {
    const button = await this.page.waitForSelector('.primary-slot button');
    return button!.evaluate((el) => ({ name: el.textContent ?? '', disabled: (el as HTMLButtonElement).disabled }));
  }

  /** The last clear's line, once it appears. */
  async waitForReport(): Promise<string> {
    const handle = await this.page.waitForSelector('[data-testid="last-clear"]', { timeout: 20_000 });
    return handle!.evaluate((el) => el.textContent ?? '');
  }

  /** Opens "Options for this site" if it is closed. */
  async openSiteOptions(): Promise<void> {
    const open = await this.page.$eval('details', (el) => (el as HTMLDetailsElement).open);
    if (!open) await this.page.locator('summary').click();
  }

  text(): Promise<string> {
    return this.page.$eval('main', (el) => (el as HTMLElement).innerText);
  }

  async isChecked(name: string): Promise<boolean> {
    const handle = await this.switchNamed(name).waitHandle();
    return handle.evaluate((el) => (el as HTMLInputElement).checked);
  }

  /** Names of the controls in Tab order, as a keyboard user meets them. */
  async tabOrder(count: number): Promise<string[]> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const order: string[] = [];
    for (let i = 0; i < count; i++) {
      await this.page.keyboard.press('Tab');
      order.push(
        await this.page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const named = el.getAttribute('aria-labelledby');
          return ((named ? document.getElementById(named)?.textContent : el.getAttribute('aria-label') ?? el.textContent) ?? '').trim();
        }),
      );
    }
    return order;
  }

  /** axe-core's violations on the page as it is now. */
  async axeViolations(): Promise<{ id: string; nodes: string[] }[]> {
    return axeViolations(this.page);
  }

  /** Renders the page as if the system were in dark mode (Chromium, over CDP). */
  async dark(): Promise<void> {
    await this.page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  }
}

export async function axeViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return result;
}
