import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS, launch, setSiteOptions, waitForRule } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { AppPage } from './pages/app-page';

/** Protected by default (Gradio's range); 4173 (vite preview) is not. */
const PROTECTED_PORT = 7862;
const UNPROTECTED_PORT = 4173;

describe.each(BROWSERS)('freshness rules in %s', (browserName) => {
  let session: BrowserSession;
  let guarded: AppServer;
  let plain: AppServer;

  beforeAll(async () => {
    guarded = await new AppServer({ port: PROTECTED_PORT, urlHost: 'localhost', name: 'guarded' }).start();
    plain = await new AppServer({ port: UNPROTECTED_PORT, urlHost: 'localhost', name: 'plain' }).start();
    session = await launch(browserName);
  });
  afterAll(async () => {
    await session?.close();
    await guarded?.stop();
    await plain?.stop();
  });

  it('a protected app runs the upgraded code on the next navigation and on F5', async () => {
    const page = new AppPage(await session.newPage(), guarded);
    await page.open();
    expect([await page.appVersion(), await page.pluginVersion()]).toEqual([1, 1]);

    guarded.upgrade();
    await page.navigateAwayAndBack();
    expect([await page.appVersion(), await page.pluginVersion()]).toEqual([2, 2]);

    guarded.upgrade();
    await page.reload();
    expect([await page.appVersion(), await page.pluginVersion()]).toEqual([3, 3]);
    await page.page.close();
  });

  it('Back to a protected app after an upgrade ends on the new app', async () => {
    const page = new AppPage(await session.newPage(), guarded);
    await page.open();
    await page.page.goto(`${plain.origin}/`);
    guarded.upgrade();
    await page.page.back();
    // History loads skip revalidation; the content script has the page reload once.
    await page.waitForVersion(guarded.version);
    expect(await page.pluginVersion()).toBe(guarded.version);
    await page.page.close();
  });

  it('Back to an unprotected app after an upgrade shows the stale app (so the test above can fail)', async () => {
    const page = new AppPage(await session.newPage(), plain);
    await page.open();
    const before = await page.appVersion();
    await page.page.goto(`${guarded.origin}/`);
    plain.upgrade();
    await page.page.back();
    await page.ready();
    expect(await page.appVersion()).toBe(before);
    await page.page.close();
  });

  it('the same app on an unprotected origin keeps running stale code (so the test above can fail)', async () => {
    const page = new AppPage(await session.newPage(), plain);
    await page.open();
    plain.upgrade();
    await page.navigateAwayAndBack();
    expect(await page.appVersion()).toBe(1);

    plain.upgrade();
    await page.reload();
    // F5 revalidates the document, so the hashed bundle is new; the unhashed plugin stays stale.
    expect(await page.pluginVersion()).toBeLessThan(plain.version);
    await page.page.close();
  });

  it('revalidate mode: F5 of an unchanged app costs 304s, and content-hashed bundles not even that', async () => {
    const page = new AppPage(await session.newPage(), guarded);
    await page.open();
    guarded.resetRequests();
    await page.reload();
    const revalidated = guarded.requests.filter((r) => r.path === '/' || r.path === '/plugins/plugin.js');
    expect(revalidated.map((r) => [r.path, r.status, r.cacheControl])).toEqual(
      expect.arrayContaining([['/', 304, 'max-age=0'], ['/plugins/plugin.js', 304, 'max-age=0']]),
    );
    // A hashed name cannot hold stale code, so it is served from cache without a round trip.
    expect(guarded.requests.filter((r) => r.path.startsWith('/assets/'))).toEqual([]);
    expect(guarded.requests.every((r) => r.status === 304)).toBe(true);
    expect(await page.appVersion()).toBe(guarded.version);
    await page.page.close();
  });

  it('an unprotected origin gets no added request headers', async () => {
    const page = new AppPage(await session.newPage(), plain);
    plain.resetRequests();
    // A new URL, so the document really goes to the server.
    await page.page.goto(`${plain.origin}/?visit=${Date.now()}`);
    await page.ready();
    expect(plain.requests.length).toBeGreaterThan(0);
    expect(plain.requests.filter((r) => r.cacheControl !== undefined || r.pragma !== undefined)).toEqual([]);
    await page.page.close();
  });

  it('bypass mode downloads every file, and pausing the site removes its rule', async () => {
    const origin = guarded.origin;
    await setSiteOptions(session, origin, { mode: 'bypass' });
    await waitForRule(session, origin, 'no-cache');
    const page = new AppPage(await session.newPage(), guarded);
    await page.open();
    guarded.resetRequests();
    await page.reload();
    // Every file, hashed bundles included, comes from the server in full.
    const downloads = guarded.requests.filter((r) => r.path !== '/favicon.ico');
    expect(downloads.map((r) => r.path).sort()).toEqual(['/', guarded.bundlePath, guarded.stylePath, '/plugins/plugin.js'].sort());
    expect(downloads.every((r) => r.status === 200 && r.cacheControl === 'no-cache')).toBe(true);

    await setSiteOptions(session, origin, { protect: false });
    await waitForRule(session, origin, null);
    guarded.resetRequests();
    await page.page.goto(`${origin}/?visit=${Date.now()}`);
    await page.ready();
    expect(guarded.requests.filter((r) => r.cacheControl !== undefined)).toEqual([]);

    await setSiteOptions(session, origin, null);
    await waitForRule(session, origin, 'max-age=0');
    await page.page.close();
  });
});
