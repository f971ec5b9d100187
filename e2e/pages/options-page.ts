import type { Page } from 'puppeteer-core';
import { ChromiumSession } from '../drivers/chromium';
import type { FirefoxSession } from '../drivers/firefox';
import type { BrowserSession } from '../drivers/session';

/** The real options page: a tab in Chromium; in Firefox the one the extension opened on install (BiDi may not navigate there). */
export async function openOptions(session: BrowserSession): Promise<OptionsPage> {
  const page = session instanceof ChromiumSession ? await session.openExtensionPage('src/options/index.html') : (session as FirefoxSession).optionsPage;
  const options = new OptionsPage(page);
  await options.ready();
  return options;
}

/** The options page, driven by role and accessible name. */
export class OptionsPage {
  constructor(readonly page: Page) {}

  async ready(): Promise<void> {
    await this.page.waitForSelector('::-p-aria([name="Site address"])');
  }

  async addOrigin(text: string): Promise<string> {
    const input = await this.page.locator('::-p-aria([name="Site address"])').waitHandle();
    // Typing clears the previous message, so the one awaited below is this attempt's.
    await input.click({ count: 3 });
    await input.press('Backspace');
    await input.type(text ? text : ' ');
    if (!text) await input.press('Backspace');
    await this.page.waitForFunction(() => (document.getElementById('origin-message')?.textContent ?? '') === '');
    await this.page.locator('::-p-aria([name="Add"][role="button"])').click();
    return this.message();
  }

  /** The text of the add form's message, once it changes. */
  async message(): Promise<string> {
    await this.page.waitForFunction(() => (document.getElementById('origin-message')?.textContent ?? '') !== '', { timeout: 5_000 });
    const text = await this.page.$eval('#origin-message', (el) => el.textContent ?? '');
    return text;
  }

  async remove(origin: string): Promise<void> {
    await this.page.locator(`::-p-aria([name="Remove ${origin}"][role="button"])`).click();
  }

  /** The "Other sites" list. */
  listedOrigins(): Promise<string[]> {
    return this.page.$$eval('section[aria-labelledby="custom-heading"] .origin-list .origin', (els) => els.map((e) => e.textContent ?? ''));
  }

  /** The apps under a path listed for `origin`. */
  appPaths(origin: string): Promise<string[]> {
    return this.page.$$eval(`ul[aria-label="Apps under a path on ${origin}"] .app-path`, (els) => els.map((e) => e.textContent ?? ''));
  }

  /** The "Found automatically" list. */
  foundOrigins(): Promise<string[]> {
    return this.page.$$eval('ul[aria-labelledby="found-heading"] .origin', (els) => els.map((e) => e.textContent ?? ''));
  }

  async importFile(path: string): Promise<void> {
    const input = await this.page.$('input[type=file]');
    await input!.uploadFile(path);
  }

  text(): Promise<string> {
    return this.page.$eval('main', (el) => (el as HTMLElement).innerText);
  }
}
