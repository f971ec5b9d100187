import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumSession } from './drivers/chromium';
import { BROWSERS, launch } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { PopupPage } from './pages/popup-page';
import { buildRules } from '../src/core/dnr-rules';
import { defaultSettings } from '../src/core/settings';

describe.each(BROWSERS)('smoke: the built extension in %s', (browserName) => {
  let session: BrowserSession;
  let app: AppServer;
  beforeAll(async () => {
    app = await new AppServer({ port: 7865, urlHost: 'localhost', name: 'smoke-app' }).start();
    session = await launch(browserName);
  });
  afterAll(async () => {
    await session?.close();
    await app?.stop();
  });

  it('installs, and its background has set up rules, the menu and the shortcut', async () => {
    const state = await session.extension(async () => ({
      name: chrome.runtime.getManifest().name,
      rules: (await chrome.declarativeNetRequest.getDynamicRules()).length,
      command: (await chrome.commands.getAll()).find((c) => c.name === 'clear-and-reload')?.shortcut,
      alarm: (await chrome.alarms.get('version-check'))?.periodInMinutes,
    }));
    expect(state).toMatchObject({ name: 'Stalebuster', rules: buildRules(defaultSettings(), new Set()).length, alarm: 5 });
    expect(state.command).toBeTruthy();
  });

  it('renders the popup for a page on a local server', async () => {
    const page = await session.newPage();
    await page.goto(`${app.origin}/`);
    await page.bringToFront();
    if (session instanceof ChromiumSession) {
      const popup = new PopupPage(await session.openPopup());
      await popup.page.waitForSelector('::-p-text(localhost:7865)');
      expect(await popup.text()).toContain('Always loads fresh');
      // Keyboard: the tab order follows the reading order, and the main action is second.
      const order: string[] = [];
      for (let i = 0; i < 5; i++) {
        await popup.page.keyboard.press('Tab');
        order.push(
          await popup.page.evaluate(() => {
            const el = document.activeElement as HTMLElement;
            const named = el.getAttribute('aria-labelledby');
            return (named ? document.getElementById(named)?.textContent : el.textContent)?.trim() ?? '';
          }),
        );
      }
      expect(order).toEqual(['Settings', 'Clear & reload', 'Protect this site', 'Auto-clear on update', 'Options for this site']);
    } else {
      // Firefox gives a test no door to the toolbar popup; the same page in a tab, asked about this tab.
      const text = await session.extension(async () => {
        const [tab] = await chrome.tabs.query({ url: 'http://localhost/*' });
        const status = (await chrome.runtime.sendMessage({ type: 'tab-status', tabId: tab!.id })) as { target: { origin: string }; protected: boolean };
        return `${status.target.origin} ${status.protected}`;
      });
      expect(text).toBe('http://localhost:7865 true');
    }
  });
});
