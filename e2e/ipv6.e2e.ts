import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS, launch } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { AppPage } from './pages/app-page';
import { ExtensionState } from './pages/extension-state';
import { openPopup } from './pages/popup-page';

/**
 * http://[::1] is one of the three loopback hosts Stalebuster protects. Firefox
 * ESR refuses Cache Storage there (`caches.keys()` throws SecurityError), and
 * 0.2.0's in-page step failed whole on it ("result is non-structured-clonable
 * data"): nothing cleared, no reload. Each step now stands alone.
 */
describe.each(BROWSERS)('Clear & reload on http://[::1] in %s', (browserName) => {
  let session: BrowserSession;
  let app: AppServer;

  beforeAll(async () => {
    // 7866: a known Gradio port, protected by default on [::1] too.
    app = await new AppServer({ port: 7866, host: '::1', name: 'ipv6-app', serviceWorker: true }).start();
    session = await launch(browserName);
  });
  afterAll(async () => {
    await session?.close();
    await app?.stop();
  });

  it('a page left on the old build ends on the new app, and the report names any step the browser refused', async () => {
    const state = new ExtensionState(session);
    const page = new AppPage(await session.newPage(), app);
    await page.open();
    // Chromium: an offline-first worker holds v1. Firefox cannot register one that caches here (no Cache Storage).
    if (browserName === 'chromium') await page.seed();
    expect(app.origin).toBe('http://[::1]:7866');
    await page.page.evaluate(() => localStorage.setItem('workflow', 'mine'));
    app.upgrade();
    // The tab stays on v1 (a worker, where the browser lets it register; otherwise just the open tab).
    expect(await page.appVersion()).toBe(1);
    const popup = await openPopup(session, page.page, app.origin);
    await popup.clearAndReload();
    await page.waitForVersion(2);
    const summary = await popup.waitForReport();
    await popup.page.close().catch(() => undefined);
    expect(await page.pluginVersion()).toBe(2);
    expect(await page.page.evaluate(() => localStorage.getItem('workflow'))).toBeNull();
    const report = await state.report(app.origin);
    expect(report).toMatchObject({ pageStep: 'done', keptSiteData: false });
    if (browserName === 'firefox') {
      expect((report as { failedSteps?: { step: string }[] }).failedSteps?.map((f) => f.step)).toEqual(['cacheStorage']);
      expect(summary).toContain('Cache Storage not cleared (SecurityError');
    } else {
      expect((report as { failedSteps?: unknown }).failedSteps).toBeUndefined();
    }
    await page.page.close();
  });
});
