import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumSession } from './drivers/chromium';
import { BROWSERS, launch, setSiteOptions } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { AppPage } from './pages/app-page';
import { PopupPage } from './pages/popup-page';

const PORT = 7863;

interface Check {
  at: number;
  outcome?: string;
}

/** Forgets the debounce, as if the user came back some minutes later. */
async function timePasses(session: BrowserSession): Promise<void> {
  await session.extension(() => chrome.storage.session.set({ lastCheck: {} }));
}

/** Waits until the background finished the version check that a visit started. */
async function checkOutcome(session: BrowserSession, origin: string): Promise<string> {
  return session.extension(async (origin) => {
    for (let i = 0; i < 300; i++) {
      const { lastCheck } = (await chrome.storage.session.get('lastCheck')) as { lastCheck?: Record<string, Check> };
      const outcome = lastCheck?.[origin]?.outcome;
      if (outcome) return outcome;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no version check finished');
  }, origin);
}

async function storedVersion(session: BrowserSession, origin: string): Promise<string | undefined> {
  return session.extension(async (origin) => {
    const { fingerprints } = (await chrome.storage.local.get('fingerprints')) as { fingerprints?: Record<string, { version: string }> };
    return fingerprints?.[origin]?.version;
  }, origin);
}

describe.each(BROWSERS)('auto-clear on update in %s', (browserName) => {
  let session: BrowserSession;
  let app: AppServer;
  let page: AppPage;

  beforeAll(async () => {
    app = await new AppServer({ port: PORT, urlHost: 'localhost', name: 'auto-app', serviceWorker: true, gradio: true }).start();
    session = await launch(browserName);
    page = new AppPage(await session.newPage(), app);
    await page.open();
    await page.seed();
  });
  afterAll(async () => {
    await session?.close();
    await app?.stop();
  });

  it('is switched on for the site (from the real popup, showing the detected app, where the browser lets a test open it)', async () => {
    if (session instanceof ChromiumSession) {
      await page.page.bringToFront();
      const popup = new PopupPage(await session.openPopup());
      await popup.page.waitForSelector('::-p-text(Gradio 5.1.0)');
      expect(await popup.isChecked('Auto-clear on update')).toBe(false);
      await popup.switchNamed('Auto-clear on update').click();
      await expect.poll(() => popup.isChecked('Auto-clear on update')).toBe(true);
      await popup.page.close();
    } else {
      await setSiteOptions(session, app.origin, { autoClear: true });
    }
    await expect.poll(() => storedVersion(session, app.origin), { timeout: 10_000 }).toBe('5.1.0');
  });

  it('a visit to the unchanged app clears nothing', async () => {
    await timePasses(session);
    await page.navigateAwayAndBack();
    expect(await checkOutcome(session, app.origin)).toBe('same');
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
    expect(await checkOutcome(session, app.origin)).toBe('updated');
    await page.waitForVersion(2);

    const after = await page.snapshot();
    expect(after.workers).toEqual([]);
    expect(after.caches).toEqual([]);
    expect(after.localStorage).toEqual(before.localStorage);
    expect(after.chat).toBe(before.chat);
    expect(await storedVersion(session, app.origin)).toBe('5.2.0');
    // The worker served the first load; the network saw exactly one document load: the automatic reload.
    expect(app.requests.filter((r) => r.path === '/' && r.dest === 'document')).toHaveLength(1);
    // "Updated to Gradio 5.2.0 — stale files cleared."
    const notes = await session.extension(async () => Object.keys(await chrome.notifications.getAll()));
    expect(notes).toContain(`auto-${app.origin}`);
  });

  it('with the server down, nothing is cleared and nothing loops', async () => {
    await page.seed();
    await app.stop();
    await timePasses(session);
    await page.navigateAwayAndBack(); // the worker serves the app offline
    expect(await checkOutcome(session, app.origin)).toBe('unreachable');
    const stores = await page.snapshot();
    expect(stores.workers).toHaveLength(1);
    expect(stores.caches).toHaveLength(1);
    expect(await storedVersion(session, app.origin)).toBe('5.2.0');
    await app.start();
  });
});
