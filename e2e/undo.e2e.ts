import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS, launch } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { AppPage, type SiteData, type StoreSnapshot } from './pages/app-page';
import { ExtensionState } from './pages/extension-state';
import { openOptions } from './pages/options-page';
import { openPopup } from './pages/popup-page';

/**
 * Undo, for real: a chat app keeps 200 messages in IndexedDB (auto-increment
 * keys, an index, Dates, Maps, a Blob attachment every 50th) and a workflow in
 * localStorage; a second app runs on another port of the same host. The first
 * is upgraded, cleared from the popup, and put back with Undo.
 */
describe.each(BROWSERS)('Undo in %s', (browserName) => {
  let session: BrowserSession;
  let a: AppServer;
  let b: AppServer;
  let pageA: AppPage;
  let pageB: AppPage;
  let before: SiteData;
  let bBefore: StoreSnapshot;
  let bData: SiteData;

  beforeAll(async () => {
    a = await new AppServer({ port: 7860, urlHost: 'localhost', name: 'chat-app', serviceWorker: true, gradio: true }).start();
    b = await new AppServer({ port: 8501, urlHost: 'localhost', name: 'other-port', serviceWorker: true }).start();
    session = await launch(browserName);
    pageB = await AppPage.seeded(session, b);
    await pageB.seedChats(20);
    pageA = await AppPage.seeded(session, a);
    await pageA.seedChats(200);
    before = await pageA.siteData();
    [bBefore, bData] = [await pageB.snapshot(), await pageB.siteData()];
  });
  afterAll(async () => {
    await session?.close();
    await a?.stop();
    await b?.stop();
  });

  it('the seeded data is what the test says it is', () => {
    const messages = before.databases['chats@3']!.messages!;
    expect(messages.keys).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(messages.indexes).toEqual([['byConversation', 'conversation', false, false]]);
    expect((messages.values as { attachment?: { bytes: number[] } }[]).filter((m) => m.attachment)).toHaveLength(4);
    expect(JSON.parse(before.localStorage.workflow!).nodes).toHaveLength(2);
  });

  it('Clear & reload runs the new version with the data gone; Undo brings every record back, the new version stays', async () => {
    a.upgrade();
    await pageA.reload();
    expect(await pageA.appVersion()).toBe(1); // its service worker keeps it on v1

    let popup = await openPopup(session, pageA.page, a.origin);
    await popup.clearAndReload();
    await pageA.waitForVersion(2);
    await popup.page.close().catch(() => undefined);
    const report = await session.extension(async (origin) => ((await chrome.storage.local.get('reports')).reports as Record<string, unknown>)[origin], a.origin);
    expect(report).toMatchObject({ keptSiteData: false, undo: { id: expect.any(String) } });
    const cleared = await pageA.siteData();
    expect(cleared.databases).toEqual({});
    expect(cleared.localStorage).toEqual({});

    // A second clear finds nothing to back up: Undo still reverses the first one.
    await new ExtensionState(session).waitForVerdict(a.origin, 'fresh');
    popup = await openPopup(session, pageA.page, a.origin);
    // Pressed while the first clear's cool-down lasts, the popup answers "Already clearing": press again after it.
    await expect
      .poll(async () => {
        await popup.clearAndReload();
        await popup.page.waitForSelector('button.primary:not([disabled])', { timeout: 20_000 });
        return popup.page.$eval('body', (b) => b.textContent?.includes('Already clearing this tab.'));
      }, { timeout: 20_000, interval: 300 })
      .toBe(false);
    const lastReport = () => session.extension(async (origin) => ((await chrome.storage.local.get('reports')).reports as Record<string, { at: number; undo: unknown }>)[origin]!, a.origin);
    await expect.poll(async () => (await lastReport()).at, { timeout: 20_000 }).toBeGreaterThan((report as { at: number }).at);
    expect((await lastReport()).undo).toBeNull();
    await popup.page.close().catch(() => undefined);
    await pageA.ready();

    // The new version writes something of its own before the user changes their mind.
    await pageA.page.evaluate(() => localStorage.setItem('written-by-v2', 'yes'));

    await new ExtensionState(session).waitForVerdict(a.origin, 'fresh');
    popup = await openPopup(session, pageA.page, a.origin);
    await popup.page.waitForSelector('.undo-row');
    await popup.button('Undo').click();
    await popup.page.waitForSelector('::-p-text(Site data restored at)', { timeout: 30_000 });
    await popup.page.close().catch(() => undefined);
    await pageA.waitForVersion(2);

    const after = await pageA.siteData();
    expect(after).toEqual(before);
    // Undo never brings back what held the stale app.
    const stores = await pageA.snapshot();
    expect(stores.workers).toEqual([]);
    expect(stores.caches).toEqual([]);
    expect(await pageA.appVersion()).toBe(2);

    // The other port of the same host was never touched.
    expect(await pageB.snapshot()).toEqual(bBefore);
    expect(await pageB.siteData()).toEqual(bData);
  });

  it('Settings shows the backups kept, and "Delete backups now" removes them', async () => {
    const options = await openOptions(session);
    await options.page.waitForSelector('::-p-text(Backups kept: 1)');
    await options.page.locator('::-p-aria([name="Delete backups now"][role="button"])').click();
    await options.page.waitForSelector('::-p-text(Backups kept: 0)');
    const left = await session.extension(async () => Object.keys(((await chrome.storage.local.get('snapshots')).snapshots ?? {}) as object));
    expect(left).toEqual([]);
  });
});

describe.each(BROWSERS)('a site over the backup cap in %s', (browserName) => {
  let session: BrowserSession;
  let app: AppServer;
  beforeAll(async () => {
    app = await new AppServer({ port: 7861, urlHost: 'localhost', name: 'big-app', serviceWorker: true }).start();
    session = await launch(browserName);
  });
  afterAll(async () => {
    await session?.close();
    await app?.stop();
  });

  it('the popup asks before clearing without Undo; "keep site data" clears only the caches', async () => {
    await session.extension(async () => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings: Record<string, unknown> };
      await chrome.storage.local.set({ settings: { ...settings, undoCapMb: 10 } });
    });
    const page = await AppPage.seeded(session, app);
    await page.seedChats(101, 4 * 1024 * 1024); // three 4 MB attachments: over 10 MB
    const before = await page.siteData();

    const popup = await openPopup(session, page.page, app.origin);
    await popup.clearAndReload();
    await popup.page.waitForSelector('::-p-text(is more than the 10 MB kept for Undo)');
    // Asked, not acted: everything is still there.
    expect(await page.siteData()).toEqual(before);
    expect((await page.snapshot()).workers).toHaveLength(1);

    const stamp = await page.documentStamp();
    await popup.button('Keep site data, clear caches').click();
    // The reloaded document, not the old one in the moment before its reload.
    await page.waitForNewDocument(stamp);
    expect(await page.page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    expect(await page.siteData()).toEqual(before);
    expect((await page.snapshot()).caches).toEqual([]);
    await popup.page.close().catch(() => undefined);
  });
});
