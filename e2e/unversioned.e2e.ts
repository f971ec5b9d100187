import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS, launch, protect } from './drivers/launch';
import type { BrowserSession, PageLike } from './drivers/session';
import { UnversionedApp, type UnversionedLayout } from './fixtures/unversioned-app';
import { ExtensionState, timePasses } from './pages/extension-state';
import { openPopup } from './pages/popup-page';

/**
 * Apps whose code URLs carry no version (SillyTavern's `script.js`, the llama.cpp
 * server's single page) used to read "can't tell" whatever happened. Judged by the
 * sizes the browser measured for what the page loaded against what the server
 * serves now, each reads up to date while unchanged and after a restart, and
 * runs old code in a tab left open through an upgrade.
 */
describe.each(BROWSERS)('apps that name no build, in %s', (browserName) => {
  let session: BrowserSession;
  let state: ExtensionState;
  const apps: UnversionedApp[] = [];

  beforeAll(async () => {
    session = await launch(browserName);
    state = new ExtensionState(session);
  });
  afterAll(async () => {
    await session?.close();
    await Promise.all(apps.map((a) => a.stop()));
  });

  async function popupTitle(page: PageLike, origin: string): Promise<string> {
    const popup = await openPopup(session, page, origin);
    const { title } = await popup.status();
    await popup.page.close().catch(() => undefined);
    return title;
  }

  it.each(['sillytavern', 'llama.cpp'] as UnversionedLayout[])('%s: up to date, still up to date after a restart, runs old code once upgraded under an open tab', async (layout) => {
    const app = await new UnversionedApp(layout).start();
    apps.push(app);
    await protect(session, app.origin);
    const page = await session.newPage();
    await page.goto(`${app.origin}/`);
    await page.waitFor(() => (window as { __READY__?: boolean }).__READY__ === true && document.readyState === 'complete');

    // Unchanged: a verdict, not "can't tell".
    expect(await state.waitForVerdict(app.origin, 'fresh')).toEqual({ state: 'fresh' });
    expect(await popupTitle(page, app.origin)).toBe('Up to date');

    // A restart of the same build serves the same bytes: never old.
    await app.restart();
    const { reportedAt } = (await state.record(app.origin))!;
    await page.reload();
    expect((await state.waitForJudged(app.origin, reportedAt)).verdict).toEqual({ state: 'fresh' });

    // Upgraded while the tab stays open; some minutes later the user comes back to the tab.
    app.upgrade();
    await timePasses(session);
    const elsewhere = await session.newPage();
    const before = app.extensionTraffic();
    await page.bringToFront();
    await state.waitForVerdict(app.origin, 'stale');
    // What that check cost: the page and, for SillyTavern, its three code files; the same again from the second
    // answer that confirms "old"; and the one request per upgrade that asks which version it is.
    const after = app.extensionTraffic();
    console.log(`${browserName} ${layout}: the check that found the upgrade: ${after.requests - before.requests} requests, ${after.bytes - before.bytes} bytes`);
    expect(after.requests - before.requests).toBeLessThanOrEqual(layout === 'sillytavern' ? 9 : 3);
    expect(await page.evaluate(() => (window as { __APP_VERSION__?: number }).__APP_VERSION__)).toBe(1);
    expect((await state.waitForBadge(app.origin, 'old')).text).toBe('old');
    expect(await popupTitle(page, app.origin)).toBe('Runs old code');
    await elsewhere.close();

    // A reload loads the new build, which reads up to date again.
    await page.reload();
    await page.waitFor(() => (window as { __APP_VERSION__?: number }).__APP_VERSION__ === 2);
    await state.waitForVerdict(app.origin, 'fresh');
    await page.close();
  });

  it.each(['sillytavern', 'llama.cpp'] as UnversionedLayout[])('%s upgraded behind the copy the browser kept: Back ends on the new build, reloaded once', async (layout) => {
    const app = await new UnversionedApp(layout).start();
    const elsewhere = await new UnversionedApp('llama.cpp').start();
    apps.push(app, elsewhere);
    await protect(session, app.origin);
    const page = await session.newPage();
    await page.goto(`${app.origin}/`);
    await state.waitForVerdict(app.origin, 'fresh');
    await page.goto(`${elsewhere.origin}/`);
    app.upgrade();
    await timePasses(session); // some minutes later: the history return's report asks the server afresh
    const documentsBefore = app.requests.filter((r) => r.path === '/' && r.dest === 'document').length;
    // History returns come from the back/forward cache or the HTTP cache without asking the server: build 1.
    await page.back();
    await page.waitFor(() => (window as { __APP_VERSION__?: number }).__APP_VERSION__ === 2, undefined, 25_000);
    // The one reload the detector decided is the only document load that reached the server.
    expect(app.requests.filter((r) => r.path === '/' && r.dest === 'document').length - documentsBefore).toBe(1);
    await state.waitForVerdict(app.origin, 'fresh');
    await page.close();
  });
});
