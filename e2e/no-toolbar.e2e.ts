import { describe, expect, it } from 'vitest';
import { BROWSERS, protect } from './drivers/launch';
import type { PageLike } from './drivers/session';
import { browserSuite } from './drivers/suite';

/** What the in-page notice says, or null when the page shows none (read through its open shadow root). */
function noticeText(page: PageLike): Promise<string | null> {
  return page.evaluate(() => document.querySelector('stalebuster-notice')?.shadowRoot?.textContent ?? null);
}

/**
 * An installed web app runs in a window without the toolbar: the badge and popup
 * are never seen there. A page found to run old code says so itself, with a small
 * notice; in a normal tab it does not. Each case upgrades a real local app under
 * an open page whose next route then fails to load.
 */
describe.each(BROWSERS)('a window without the toolbar, in %s', (browserName) => {
  const suite = browserSuite(browserName);
  const { serve } = suite;

  /** The tabs showing `origin`, whatever their window (query all: Firefox match patterns cannot name a port). */
  function tabsOf(origin: string): Promise<{ id: number }[]> {
    return suite.session.extension(async (origin) => (await chrome.tabs.query({})).filter((t) => t.url?.startsWith(`${origin}/`)).map((t) => ({ id: t.id! })), origin);
  }

  it('old code: the notice says so and its Reload button loads the new build; a normal tab shows none', async () => {
    const app = await serve({ name: 'installed-app', lazyRoute: true });
    await protect(suite.session, app.origin);
    const tab = await suite.session.newPage();
    await tab.goto(`${app.origin}/`);
    const installed = await suite.session.newToolbarlessPage(`${app.origin}/`);
    await installed.waitFor(() => (window as { __READY__?: boolean }).__READY__ === true && document.readyState === 'complete');
    await tab.waitFor(() => (window as { __READY__?: boolean }).__READY__ === true);
    const tabIds = await tabsOf(app.origin);
    expect(tabIds).toHaveLength(2);
    for (const { id } of tabIds) await suite.state.waitForVerdict(id, 'fresh');
    expect(await noticeText(installed)).toBeNull();

    app.upgrade();
    // Both pages load a route of the build they run, which the server no longer has.
    for (const page of [installed, tab]) await page.evaluate(() => document.getElementById('open-route')!.click());
    for (const { id } of tabIds) await suite.state.waitForVerdict(id, 'stale');
    await installed.waitFor(() => document.querySelector('stalebuster-notice') !== null);
    expect(await noticeText(installed)).toContain('Runs old code');
    // The control: the same old page in a normal tab, where the badge says it.
    expect(await noticeText(tab)).toBeNull();
    // Nothing reloaded by itself.
    expect(await installed.evaluate(() => (window as { __APP_VERSION__?: number }).__APP_VERSION__)).toBe(1);

    await installed.clickButton('Reload');
    await installed.waitFor(() => (window as { __APP_VERSION__?: number }).__APP_VERSION__ === 2 && document.readyState === 'complete');
    expect(await noticeText(installed)).toBeNull();
    await installed.close();
    await tab.close();
  });

  it('a page script cannot press the notice\'s buttons', async () => {
    const app = await serve({ name: 'hostile-installed-app', lazyRoute: true });
    await protect(suite.session, app.origin);
    const installed = await suite.session.newToolbarlessPage(`${app.origin}/`);
    await installed.waitFor(() => (window as { __READY__?: boolean }).__READY__ === true && document.readyState === 'complete');
    const [only] = await tabsOf(app.origin);
    await suite.state.waitForVerdict(only!.id, 'fresh');
    app.upgrade();
    app.resetRequests();
    await installed.evaluate(() => document.getElementById('open-route')!.click());
    await installed.waitFor(() => document.querySelector('stalebuster-notice') !== null);
    // The page clicks Clear & reload and Reload itself (untrusted clicks): nothing is cleared or reloaded.
    const stamp = await installed.evaluate(() => performance.timeOrigin);
    await installed.evaluate(() => {
      for (const b of document.querySelector('stalebuster-notice')!.shadowRoot!.querySelectorAll('button')) b.click();
    });
    // The notice's own Dismiss, pressed for real, is what the user has; afterwards the same document is there.
    expect(await noticeText(installed)).not.toBeNull();
    await installed.clickButton('Dismiss');
    await installed.waitFor(() => document.querySelector('stalebuster-notice') === null);
    expect(await installed.evaluate(() => performance.timeOrigin)).toBe(stamp);
    expect(app.requests.filter((r) => r.dest === 'document')).toEqual([]);
    expect(await suite.session.extension(async (origin) => ((await chrome.storage.local.get('reports')).reports as Record<string, unknown> | undefined)?.[origin] ?? null, app.origin)).toBeNull();
    await installed.close();
  });
});
