import type { Page } from 'puppeteer-core';

/** The real toolbar popup, driven by role and accessible name. */
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

  /** The "Last cleared" report, once it appears. */
  async waitForReport(): Promise<string> {
    const handle = await this.page.waitForSelector('::-p-text(Last cleared)', { timeout: 20_000 });
    return handle!.evaluate((el) => el.parentElement!.textContent ?? '');
  }

  text(): Promise<string> {
    return this.page.$eval('main', (el) => (el as HTMLElement).innerText);
  }

  async isChecked(name: string): Promise<boolean> {
    const handle = await this.switchNamed(name).waitHandle();
    return handle.evaluate((el) => (el as HTMLInputElement).checked);
  }
}
