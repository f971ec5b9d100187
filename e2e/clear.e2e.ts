import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChromiumSession } from './drivers/chromium';
import { pressShortcut } from './drivers/keyboard';
import { BROWSERS, launch, setSiteOptions, type BrowserName } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { AppPage, EMPTY_STORES, type StoreSnapshot } from './pages/app-page';
import { PopupPage } from './pages/popup-page';

/**
 * Two apps on one host, two ports, each with an offline-first worker and site
 * data. Clearing A must fix A and leave every byte of B alone.
 */
interface World {
  session: BrowserSession;
  a: AppServer;
  b: AppServer;
  pageA: AppPage;
  pageB: AppPage;
  bBefore: StoreSnapshot;
}

async function setUp(browserName: BrowserName, headless: boolean): Promise<World> {
  const a = await new AppServer({ port: 7860, urlHost: 'localhost', name: 'clear-target-A', serviceWorker: true }).start();
  const b = await new AppServer({ port: 8501, urlHost: 'localhost', name: 'bystander-B', serviceWorker: true }).start();
  const session = await launch(browserName, { headless });
  const pageB = new AppPage(await session.newPage(), b);
  await pageB.open();
  await pageB.seed();
  const pageA = new AppPage(await session.newPage(), a);
  await pageA.open();
  await pageA.seed();
  const bBefore = await pageB.snapshot();
  expect(bBefore.workers).toHaveLength(1);
  expect(bBefore.caches).toHaveLength(1);
  expect(bBefore.localStorage).not.toEqual({});

  a.upgrade();
  await pageA.reload();
  // The worker answers before any network rule: F5 alone cannot fix this.
  expect(await pageA.appVersion()).toBe(1);
  await pageA.page.bringToFront();
  return { session, a, b, pageA, pageB, bBefore };
}

async function expectFixedAndIsolated(world: World): Promise<void> {
  await world.pageA.waitForVersion(2);
  expect(await world.pageA.pluginVersion()).toBe(2);
  const aAfter = await world.pageA.snapshot();
  expect({ ...aAfter, controlled: undefined }).toEqual({ ...EMPTY_STORES, controlled: undefined });
  expect(aAfter.controlled).toBe(false);

  const bAfter = await world.pageB.snapshot();
  expect(bAfter).toEqual(world.bBefore);
  expect(bAfter.workers[0]?.state).toBe('activated');
}

async function tearDown(world: World | undefined): Promise<void> {
  await world?.session.close();
  await world?.a.stop();
  await world?.b.stop();
}

describe('Clear & reload from the real popup in chromium', () => {
  let world: World | undefined;
  beforeEach(async () => {
    world = await setUp('chromium', true);
  });
  afterEach(() => tearDown(world));

  it('fixes the stale app on A, empties every store of A and leaves B exactly as it was', async () => {
    const popup = new PopupPage(await (world!.session as ChromiumSession).openPopup());
    expect(await popup.text()).toContain('localhost:7860');
    await popup.clearAndReload();
    const report = await popup.waitForReport();
    expect(report).toMatch(/service workers: 1 · caches: 1 · databases: 1 · storage items: 2/);
    await expectFixedAndIsolated(world!);
  });

  it('"Keep site data" clears the worker and caches but keeps localStorage and IndexedDB', async () => {
    await setSiteOptions(world!.session, world!.a.origin, { keepSiteData: true });
    const before = await world!.pageA.snapshot();
    const popup = new PopupPage(await (world!.session as ChromiumSession).openPopup());
    expect(await popup.text()).not.toContain('IndexedDB');
    await popup.clearAndReload();
    await world!.pageA.waitForVersion(2);
    const after = await world!.pageA.snapshot();
    expect(after.workers).toEqual([]);
    expect(after.caches).toEqual([]);
    expect(after.localStorage).toEqual(before.localStorage);
    expect(after.chat).toBe(before.chat);
    expect(await world!.pageB.snapshot()).toEqual(world!.bBefore);
  });
});

describe('Restricted pages in chromium', () => {
  let session: ChromiumSession | undefined;
  afterAll(() => session?.close());

  it('disables the button with the reason on a browser page', async () => {
    session = await ChromiumSession.launch();
    const page = await session.newRawPage();
    await page.goto('chrome://version');
    await page.bringToFront();
    const popup = new PopupPage(await session.openPopup());
    const button = await popup.button('Clear & reload').waitHandle();
    expect(await button.evaluate((el) => (el as HTMLButtonElement).disabled)).toBe(true);
    // Without the "tabs" permission a browser page's URL is hidden, so the reason is the general one.
    expect(await popup.text()).toContain("Stalebuster can't reach this page");
  });
});

describe.each(BROWSERS)('Clear & reload from a real key press in %s', (browserName) => {
  let world: World | undefined;
  afterAll(() => tearDown(world));

  it('Alt+Shift+K fixes A and leaves B exactly as it was', async () => {
    world = await setUp(browserName, false);
    const shortcut = await world.session.extension(async () => (await chrome.commands.getAll()).find((c) => c.name === 'clear-and-reload')?.shortcut);
    expect(shortcut?.replace(/\s/g, '')).toMatch(/^(Alt\+Shift\+K|⌥⇧K)$/);
    pressShortcut('clear-target-A');
    await expectFixedAndIsolated(world);
    // No popup to answer in: a notification says what was cleared.
    await expect
      .poll(async () => (await world!.session.extension(async () => Object.keys(await chrome.notifications.getAll()))).some((id) => id.startsWith('clear-')), { timeout: 10_000 })
      .toBe(true);
  });
});
