import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS, launch } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { AppPage } from './pages/app-page';
import { ExtensionState, timePasses } from './pages/extension-state';
import { openPopup } from './pages/popup-page';

const PORT = 7863;

describe.each(BROWSERS)('auto-clear on update in %s', (browserName) => {
  let session: BrowserSession;
  let state: ExtensionState;
  let app: AppServer;
  let page: AppPage;

  beforeAll(async () => {
    app = await new AppServer({ port: PORT, urlHost: 'localhost', name: 'auto-app', serviceWorker: true, gradio: true }).start();
    session = await launch(browserName);
    state = new ExtensionState(session);
    page = await AppPage.seeded(session, app);
  });
  afterAll(async () => {
    await session?.close();
    await app?.stop();
  });

  it('is switched on for the site from the popup, which shows the detected app', async () => {
    const popup = await openPopup(session, page.page, app.origin);
    await popup.page.waitForSelector('::-p-text(Gradio 5.1.0)');
    await popup.openSiteOptions();
    expect(await popup.isChecked('Auto-clear on update')).toBe(false);
    await popup.switchNamed('Auto-clear on update').click();
    await expect.poll(() => popup.isChecked('Auto-clear on update')).toBe(true);
    await popup.page.close();
    await expect.poll(async () => (await state.settings()).sites[app.origin]).toEqual({ autoClear: true });
  });

  it('a visit to the unchanged app clears nothing', async () => {
    await timePasses(session);
    await page.navigateAwayAndBack();
    await state.waitForVerdict(app.origin, 'fresh');
    const stores = await page.snapshot();
    expect(stores.workers).toHaveLength(1);
    expect(stores.caches).toHaveLength(1);
  });

  it('after an upgrade, the next visit ends on the new app with one reload, worker and caches gone, data kept', async () => {
    const before = await page.snapshot();
    app.upgrade();
    await timePasses(session);
    app.resetRequests();
    await page.navigateAwayAndBack();
    await page.waitForVersion(2);
    await state.waitForVerdict(app.origin, 'fresh');

    const after = await page.snapshot();
    expect(after.workers).toEqual([]);
    expect(after.caches).toEqual([]);
    expect(after.localStorage).toEqual(before.localStorage);
    expect(after.chat).toBe(before.chat);
    // The worker served the first load; the network saw exactly one document load: the automatic reload.
    expect(page.documentLoads()).toBe(1);
    // "Updated to Gradio 5.2.0 — stale files cleared."
    const notes = await session.extension(async () => Object.keys(await chrome.notifications.getAll()));
    expect(notes).toContain(`auto-${app.origin}`);
  });

  it('with the server down, nothing is cleared and nothing loops', async () => {
    await page.seed();
    await app.stop();
    await timePasses(session);
    await page.navigateAwayAndBack(); // the worker serves the app offline
    expect(await state.waitForVerdict(app.origin, 'unknown')).toEqual({ state: 'unknown', reason: 'unreachable' });
    const stores = await page.snapshot();
    expect(stores.workers).toHaveLength(1);
    expect(stores.caches).toHaveLength(1);
    expect(await page.appVersion()).toBe(2);
    await app.start();
  });

  it('set to remove site data too, an update backs it up first, and Undo puts it back', async () => {
    await page.seed();
    await page.seedChats(30);
    const before = await page.siteData();
    let popup = await openPopup(session, page.page, app.origin);
    await popup.openSiteOptions();
    await popup.switchNamed('Auto-clear also removes site data').click();
    await expect.poll(() => popup.isChecked('Auto-clear also removes site data')).toBe(true);
    await popup.page.close();
    // In Firefox the popup is a tab: closing it brings the app's tab to the front, which has it judged again
    // (tabs.onActivated). Upgrading before that check has run lets it fix the site while the navigation below
    // is under way. A visit judged after the close comes after that check too.
    const { reportedAt } = (await state.record(app.origin))!;
    await page.navigateAwayAndBack();
    await state.waitForJudged(app.origin, reportedAt);

    app.upgrade();
    await timePasses(session);
    await page.navigateAwayAndBack();
    await page.waitForVersion(3);
    const cleared = await page.siteData();
    // On failure, say why the data stayed (the report names a backup that failed or no page to run in).
    const why = JSON.stringify(await new ExtensionState(session).report(app.origin));
    expect(cleared.databases, why).toEqual({});
    expect(cleared.localStorage).toEqual({});
    const report = await session.extension(async (origin) => ((await chrome.storage.local.get('reports')).reports as Record<string, unknown>)[origin], app.origin);
    expect(report).toMatchObject({ trigger: 'auto', keptSiteData: false });
    // One backup of the site, whichever attempt took it (a fix that raced a navigation is tried once more).
    const backups = await session.extension(
      async (origin) => Object.values(((await chrome.storage.local.get('snapshots')).snapshots ?? {}) as Record<string, { origin: string; records: number }>).filter((b) => b.origin === origin),
      app.origin,
    );
    expect(backups).toHaveLength(1);
    expect(backups[0]!.records).toBeGreaterThan(0);

    await state.waitForVerdict(app.origin, 'fresh');
    popup = await openPopup(session, page.page, app.origin);
    await popup.button('Undo').click();
    await popup.page.waitForSelector('::-p-text(Site data restored at)', { timeout: 30_000 });
    await popup.page.close().catch(() => undefined);
    await page.waitForVersion(3);
    expect(await page.siteData()).toEqual(before);
  });
});
