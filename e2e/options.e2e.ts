import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumSession } from './drivers/chromium';
import { BROWSERS, launch } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { openOptions, type OptionsPage } from './pages/options-page';
import { PopupPage } from './pages/popup-page';

const filters = (session: BrowserSession) =>
  session.extension(async () => (await chrome.declarativeNetRequest.getDynamicRules()).map((r) => r.condition.urlFilter ?? ''));
const storedSettings = (session: BrowserSession) => session.extension(async () => JSON.stringify((await chrome.storage.local.get('settings')).settings));


describe.each(BROWSERS)('options page in %s', (browserName) => {
  let session: BrowserSession;
  let options: OptionsPage;
  beforeAll(async () => {
    session = await launch(browserName);
    options = await openOptions(session);
  });
  afterAll(() => session?.close());

  it('adding an origin adds its rule; removing it removes the rule', async () => {
    // A page's address pasted from the address bar names its origin (an app under a path ends with "/": e2e/app-paths).
    expect(await options.addOrigin('LOCALHOST:4321/index.html?__theme=dark')).toBe('Added http://localhost:4321.');
    expect(await options.listedOrigins()).toEqual(['http://localhost:4321']);
    await expect.poll(() => filters(session)).toContain('|http://localhost:4321/');

    await options.remove('http://localhost:4321');
    await expect.poll(() => filters(session)).not.toContain('|http://localhost:4321/');
    expect(await options.listedOrigins()).toEqual([]);
  });

  it.each([
    ['javascript:alert(1)', 'Only http:// and https:// addresses can be protected.'],
    ['file:///etc/passwd', 'Only http:// and https:// addresses can be protected.'],
    ['*://*/*', 'Wildcards would cover the whole web; type one site\'s address.'],
    ['localhost:70000', 'The port must be a number from 1 to 65535.'],
    ['http://exa mple', 'That is not a valid address.'],
    ['', 'Type an address such as http://192.168.1.20:7860.'],
  ])('refuses %j with a clear message and changes nothing', async (input, message) => {
    const [settingsBefore, rulesBefore] = [await storedSettings(session), await filters(session)];
    expect(await options.addOrigin(input)).toBe(message);
    expect(await storedSettings(session)).toBe(settingsBefore);
    expect(await filters(session)).toEqual(rulesBefore);
  });
});

describe('options page import and corrupt settings in chromium', () => {
  let session: ChromiumSession;
  let options: OptionsPage;
  const dir = mkdtempSync(join(tmpdir(), 'stalebuster-import-'));
  beforeAll(async () => {
    session = await ChromiumSession.launch();
    options = await openOptions(session);
  });
  afterAll(() => session?.close());

  it('a broken import file changes nothing', async () => {
    const before = await storedSettings(session);
    for (const [name, body, text] of [
      ['broken.json', '{ "version": 2, ', 'That file is not JSON'],
      ['other.json', JSON.stringify({ theme: 'dark' }), 'That file is not Stalebuster settings'],
    ] as const) {
      writeFileSync(join(dir, name), body);
      await options.importFile(join(dir, name));
      await options.page.waitForSelector(`::-p-text(${text})`);
      expect(await storedSettings(session)).toBe(before);
    }
  });

  it('a valid import is applied, rules included', async () => {
    const file = join(dir, 'good.json');
    const settings = JSON.parse(await storedSettings(session));
    settings.customOrigins = ['http://localhost:4444'];
    writeFileSync(file, JSON.stringify(settings));
    await options.importFile(file);
    await options.page.waitForSelector('::-p-text(Settings imported.)');
    await expect.poll(() => filters(session)).toContain('|http://localhost:4444/');
  });

  it('corrupt stored settings fall back to the defaults with one visible notice', async () => {
    await session.extension(() => chrome.storage.local.set({ settings: { version: 2, customOrigins: 'garbage' } }));
    await options.page.waitForSelector('::-p-text(Stored settings were damaged)');
    await expect.poll(async () => JSON.parse(await storedSettings(session)).customOrigins).toEqual([]);
    await expect.poll(() => filters(session)).toContain('|http://localhost:7860/');
    await options.page.locator('::-p-aria([name="Dismiss"][role="button"])').click();
    await options.page.waitForFunction(() => !document.body.innerText.includes('Stored settings were damaged'));
  });
});

describe('Simplified Chinese in chromium', () => {
  let session: ChromiumSession;
  let app: AppServer;
  beforeAll(async () => {
    app = await new AppServer({ port: 7864, urlHost: 'localhost' }).start();
    session = await ChromiumSession.launch({ lang: 'zh-CN' });
  });
  afterAll(async () => {
    await session?.close();
    await app?.stop();
  });

  it('the popup and the options page render in Chinese', async () => {
    const page = await session.newPage();
    await page.goto(`${app.origin}/`);
    await page.bringToFront();
    const popup = new PopupPage(await session.openPopup());
    await popup.page.waitForSelector('::-p-text(清除并重新加载)');
    expect(await popup.page.evaluate(() => document.documentElement.lang)).toMatch(/^zh/);
    const options = await session.openExtensionPage('src/options/index.html');
    await options.waitForSelector('::-p-text(保护本地 AI 工具的常用端口)');
  });
});
