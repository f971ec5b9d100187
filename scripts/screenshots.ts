/**
 * `npm run screenshots`: the real popup in each of its states (light, dark,
 * Simplified Chinese) and the options page, taken from the built extension in
 * headless Chromium.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { ChromiumSession } from '../e2e/drivers/chromium';
import { AppServer } from '../e2e/fixtures/app-server';
import { AppPage } from '../e2e/pages/app-page';
import { ExtensionState } from '../e2e/pages/extension-state';
import { PopupPage } from '../e2e/pages/popup-page';

const OUT = 'docs/screenshots';
mkdirSync(OUT, { recursive: true });

async function shoot(page: Page, file: string): Promise<void> {
  const body = await page.$('body');
  await body!.screenshot({ path: `${OUT}/${file}` });
  console.log(`${OUT}/${file}`);
}

async function popupShots(lang: 'en' | 'zh-CN', schemes: ('light' | 'dark')[]): Promise<void> {
  const suffix = lang === 'en' ? '' : '-zh_CN';
  const app = await new AppServer({ port: 7860, urlHost: 'localhost', name: 'Whisper WebUI', serviceWorker: true, gradio: true }).start();
  const devServer = await new AppServer({ port: 4179, urlHost: 'localhost', name: 'my-dev-server' }).start();
  const session = await ChromiumSession.launch(lang === 'en' ? {} : { lang });
  const state = new ExtensionState(session);
  const shots = async (name: string, before?: (popup: PopupPage) => Promise<void>) => {
    for (const scheme of schemes) {
      const popup = new PopupPage(await session.openPopup());
      if (scheme === 'dark') await popup.dark();
      await popup.page.waitForSelector('[data-testid="page-status"]:not(.status-checking)');
      await before?.(popup);
      await new Promise((r) => setTimeout(r, 300));
      await shoot(popup.page, `popup-${name}-${scheme}${suffix}.png`);
      await popup.page.close();
    }
  };
  try {
    // An app kept on its old build by its service worker.
    const page = await AppPage.seeded(session, app);
    app.upgrade();
    await page.reload();
    await state.waitForVerdict(app.origin, 'stale');
    await page.page.bringToFront();
    await shots('stale');

    // Cleared and up to date, with Undo on offer.
    const popup = new PopupPage(await session.openPopup());
    await popup.page.click('.primary-slot button');
    await page.waitForVersion(2);
    await popup.page.close().catch(() => undefined);
    await state.waitForVerdict(app.origin, 'fresh');
    await page.page.bringToFront();
    await shots('fresh', async (p) => void (await p.page.waitForSelector('.undo-row')));

    // A dev server on a port Stalebuster does not protect.
    const dev = await session.newPage();
    await dev.goto(`${devServer.origin}/`);
    await dev.bringToFront();
    await shots('unprotected');

    // A browser page.
    const browserPage = await session.newRawPage();
    await browserPage.goto('chrome://version');
    await browserPage.bringToFront();
    await shots('restricted');

    if (lang === 'en') {
      const options = await session.openExtensionPage('src/options/index.html');
      await options.setViewport({ width: 900, height: 1300 });
      await options.waitForSelector('input[type=text]');
      await options.type('input[type=text]', 'localhost:4321');
      await options.click('button[type=submit]');
      await options.waitForSelector('section[aria-labelledby="custom-heading"] .origin-list');
      await shoot(options, 'options.png');
    }
  } finally {
    await session.close();
    await app.stop();
    await devServer.stop();
  }
}

await popupShots('en', ['light', 'dark']);
await popupShots('zh-CN', ['light']);
