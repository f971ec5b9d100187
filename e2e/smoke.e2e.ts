import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS, launch } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { openPopup } from './pages/popup-page';
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

  it('renders the popup for a page on a local server, in the order a keyboard user meets it', async () => {
    const page = await session.newPage();
    await page.goto(`${app.origin}/`);
    const popup = await openPopup(session, page, app.origin);
    expect(await popup.text()).toContain('localhost:7865');
    expect((await popup.status()).title).toBe('Up to date');
    expect(await popup.tabOrder(4)).toEqual(['Settings', 'Clear & reload', 'Options for this site', 'Change']);
    await popup.page.close();
  });
});
