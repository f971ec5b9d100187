import { describe, expect, it } from 'vitest';
import { BROWSERS, protect } from './drivers/launch';
import { browserSuite } from './drivers/suite';
import type { AppServer } from './fixtures/app-server';
import { AppPage } from './pages/app-page';
import { openPopup } from './pages/popup-page';

/**
 * A tab left open while its tool is upgraded: the old front end keeps running
 * against the new server until something it does fails. Stalebuster hears the
 * signs the page gives (a chunk of its own origin that is gone) and checks once;
 * a tab that gives no sign costs no request at all. Each case upgrades a real
 * local app under an open tab and checks the badge, the popup, what the page
 * still runs, and what reached the servers.
 */
describe.each(BROWSERS)('an open tab whose server is upgraded, in %s', (browserName) => {
  const suite = browserSuite(browserName);
  const { serve } = suite;

  /** Opens `app` in a new tab (the tab before it goes to the background) and waits for its first verdict. */
  async function openFresh(app: AppServer): Promise<AppPage> {
    await protect(suite.session, app.origin);
    const page = new AppPage(await suite.session.newPage(), app);
    await page.open();
    await suite.state.waitForVerdict(app.origin, 'fresh');
    return page;
  }

  it.each([
    ['goes unhandled', true],
    ['is caught by the app', 'caught'],
  ] as const)('a lazy chunk that is gone and %s: badge and popup say old code, nothing reloads; a quiet tab costs nothing', async (_, lazyRoute) => {
    const quiet = await serve({ name: 'quiet-app', lazyRoute: true });
    const app = await serve({ name: 'lazy-app', lazyRoute });
    const quietPage = await openFresh(quiet);
    const page = await openFresh(app);
    const oldRoute = app.routePath();

    app.upgrade();
    quiet.upgrade();
    app.resetRequests();
    quiet.resetRequests();
    // The open page loads a route of the build it runs: the server has none of it now.
    await page.page.evaluate(() => document.getElementById('open-route')!.click());
    await suite.state.waitForVerdict(app.origin, 'stale');
    expect(app.requests.some((r) => r.path === oldRoute && r.status === 404)).toBe(true);
    expect((await suite.state.waitForBadge(app.origin, 'old')).text).toBe('old');
    // One signal, one check (a stale answer is confirmed by a second request before it is shown).
    expect(page.extensionRequests()).toBeGreaterThan(0);
    expect(page.extensionRequests()).toBeLessThanOrEqual(2);
    // The user decides when to reload: the page still runs what it ran.
    expect(await page.appVersion()).toBe(1);
    expect(page.documentLoads()).toBe(0);
    // The control: the background tab gave no sign, and Stalebuster sent its server nothing.
    expect(quietPage.extensionRequests()).toBe(0);
    expect((await suite.state.verdict(quiet.origin))?.state).toBe('fresh');

    const popup = await openPopup(suite.session, page.page, app.origin);
    expect((await popup.status()).title).toBe('Runs old code');
    await popup.page.close().catch(() => undefined);
    await page.page.close();
    await quietPage.page.close();
  });
});
