/**
 * `npm run screenshots`: pictures of the real popup (light, dark, Chinese) and
 * the options page, taken from the built extension in headless Chromium.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { ChromiumSession } from '../e2e/drivers/chromium';
import { AppServer } from '../e2e/fixtures/app-server';
import { PopupPage } from '../e2e/pages/popup-page';

const OUT = 'docs/screenshots';
mkdirSync(OUT, { recursive: true });

const app = await new AppServer({ port: 7860, urlHost: 'localhost', name: 'Whisper WebUI', serviceWorker: true, gradio: true }).start();

async function shoot(page: Page, file: string): Promise<void> {
  const main = await page.$('body');
  await main!.screenshot({ path: `${OUT}/${file}` });
  console.log(`${OUT}/${file}`);
}

async function popupShots(lang: string | undefined, suffix: string, dark: boolean[]): Promise<void> {
  const session = await ChromiumSession.launch(lang ? { lang } : {});
  try {
    const page = await session.newPage();
    await page.goto(`${app.origin}/`);
    await page.evaluate(() => (window as unknown as { __seed: () => Promise<boolean> }).__seed());
    await page.bringToFront();
    // One clear first, so the popup shows its report.
    let popup = new PopupPage(await session.openPopup());
    await popup.button(lang ? '清除并重新加载' : 'Clear & reload').click();
    await popup.page.waitForSelector('.notice-ok');
    await popup.page.close();
    await new Promise((r) => setTimeout(r, 1000));
    for (const isDark of dark) {
      popup = new PopupPage(await session.openPopup());
      await popup.page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: isDark ? 'dark' : 'light' }]);
      await popup.page.waitForSelector('[data-testid=app-version]');
      await popup.page.evaluate(() => document.querySelector('details')?.setAttribute('open', ''));
      await shoot(popup.page, `popup-${isDark ? 'dark' : 'light'}${suffix}.png`);
      await popup.page.close();
    }
    if (!lang) {
      const options = await session.openExtensionPage('src/options/index.html');
      await options.setViewport({ width: 900, height: 1100 });
      await options.waitForSelector('input[type=text]');
      await options.type('input[type=text]', 'localhost:4321');
      await options.click('button[type=submit]');
      await options.waitForSelector('.origin-list');
      await shoot(options, 'options.png');
    }
  } finally {
    await session.close();
  }
}

await popupShots(undefined, '', [false, true]);
await popupShots('zh-CN', '-zh_CN', [false]);
await app.stop();
