import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS, launch, setSiteOptions, waitForRule } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { appPool } from './fixtures/app-server';
import { AppPage } from './pages/app-page';
import { ExtensionState } from './pages/extension-state';
import { openOptions } from './pages/options-page';
import { openPopup } from './pages/popup-page';

/**
 * Does the page run the code the server serves now? Each case runs the real
 * built extension against a local app that is upgraded in place, and checks what
 * the page really runs, what the badge and popup say, and what the extension did.
 */
describe.each(BROWSERS)('stale detector in %s', (browserName) => {
  let session: BrowserSession;
  let state: ExtensionState;
  const { serve, stopAll } = appPool();

  beforeAll(async () => {
    session = await launch(browserName);
    state = new ExtensionState(session);
  });
  afterAll(async () => {
    await session?.close();
    await stopAll();
  });

  /** The popup's first line: its title and detail. */
  async function popupStatus(page: AppPage): Promise<string> {
    const popup = await openPopup(session, page.page, page.app.origin);
    const { title, detail } = await popup.status();
    await popup.page.close();
    return `${title} · ${detail}`;
  }

  it('a) a page its service worker keeps on the old build is marked, and the mark goes with Clear & reload', async () => {
    const app = await serve({ port: 7868, name: 'sw-app', serviceWorker: true, gradio: true });
    const page = await AppPage.seeded(session, app);
    // Before the upgrade: no mark (the control).
    expect((await state.waitForVerdict(app.origin, 'fresh')).state).toBe('fresh');
    expect((await state.badge(app.origin)).text).toBe('');
    expect(await popupStatus(page)).toMatch(/^Up to date/);

    app.upgrade();
    await page.reload();
    expect(await page.appVersion()).toBe(1); // the worker still serves v1
    const stale = await state.waitForVerdict(app.origin, 'stale');
    expect(stale).toMatchObject({ from: '5.1.0', to: '5.2.0' });
    const badge = await state.waitForBadge(app.origin, 'old');
    expect(badge.text).toBe('old');
    expect(badge.title).toContain('5.1.0 → 5.2.0');
    expect(await popupStatus(page)).toMatch(/^Runs old code · 5\.1\.0 → 5\.2\.0/);

    const popup = await openPopup(session, page.page, app.origin);
    expect(await popup.primaryAction()).toEqual({ name: 'Clear & reload', disabled: false });
    await popup.clearAndReload();
    await page.waitForVersion(2);
    await popup.page.close().catch(() => undefined);
    await state.waitForVerdict(app.origin, 'fresh');
    expect((await state.badge(app.origin)).text).toBe('');
    expect(await popupStatus(page)).toMatch(/^Up to date/);
    await page.page.close();
  });

  it('b) Back to an unchanged app leaves it as the browser restored it; Back after an upgrade ends on the new app', async () => {
    const app = await serve({ port: 7869, name: 'history-app' });
    const elsewhere = await serve({ port: 4175, name: 'elsewhere' });
    const page = new AppPage(await session.newPage(), app);
    await page.open();
    await state.waitForVerdict(app.origin, 'fresh');
    await page.setUserState('a half-typed prompt');
    app.resetRequests();
    await page.page.goto(`${elsewhere.origin}/`);
    await page.page.back();
    await page.ready();
    // Restored from the back/forward cache (state kept) or loaded from the HTTP cache: either way, not reloaded.
    const [kept, navigation] = [await page.userState(), await page.navigationType()];
    expect(kept === 'a half-typed prompt' || navigation === 'back_forward').toBe(true);
    expect(navigation).not.toBe('reload');
    expect(page.documentLoads()).toBe(0);

    await page.page.goto(`${elsewhere.origin}/`);
    app.upgrade();
    await page.page.back();
    // History loads skip revalidation; the detector sees the old build and reloads it once.
    await page.waitForVersion(app.version, 25_000);
    expect(await page.pluginVersion()).toBe(app.version);
    await page.page.close();
  });

  it('c) a recognisable AI app on an unusual port is protected with no configuration; a plain page gets nothing', async () => {
    const gradio = await serve({ port: 9000, name: 'unusual-gradio', gradio: true });
    const plain = await serve({ port: 4176, name: 'plain-dev-server' });
    const plainPage = new AppPage(await session.newPage(), plain);
    await plainPage.open();
    const page = new AppPage(await session.newPage(), gradio);
    await page.open();
    await waitForRule(session, gradio.origin, 'max-age=0');
    expect((await state.settings()).foundOrigins).toContain(gradio.origin);

    gradio.upgrade();
    await page.navigateAwayAndBack();
    expect([await page.appVersion(), await page.pluginVersion()]).toEqual([2, 2]);

    // The control: the plain page got no rule, and the extension never asked its server anything.
    await plainPage.reload();
    expect(await state.ruleFilters()).not.toContain(`|${plain.origin}/`);
    expect((await state.settings()).foundOrigins).not.toContain(plain.origin);
    expect(plainPage.extensionRequests()).toBe(0);

    // Listed in the options page under "Found automatically"; removed there, it is not found again.
    const options = await openOptions(session);
    await expect.poll(() => options.foundOrigins()).toEqual([gradio.origin]);
    await options.remove(gradio.origin);
    await waitForRule(session, gradio.origin, null);
    expect((await state.settings()).dismissedOrigins).toEqual([gradio.origin]);
    // The tab still holds the record of when the site was protected; the report of its next visit, handled as an
    // unprotected page's, removes it: that is when to look.
    expect(await state.record(gradio.origin)).not.toBeNull();
    await page.navigateAwayAndBack();
    await expect.poll(() => state.record(gradio.origin), { timeout: 20_000 }).toBeNull();
    expect(await state.ruleFilters()).not.toContain(`|${gradio.origin}/`);
    expect(await options.foundOrigins()).toEqual([]);
    await page.page.close();
    await plainPage.page.close();
  });

  it('d) auto-clear switched on while the page is already stale fixes it on that visit, with one reload', async () => {
    const app = await serve({ port: 7870, name: 'late-auto-clear', serviceWorker: true, gradio: true });
    const page = await AppPage.seeded(session, app);
    app.upgrade();
    await page.reload();
    await state.waitForVerdict(app.origin, 'stale');
    const data = await page.snapshot();
    app.resetRequests();

    const popup = await openPopup(session, page.page, app.origin);
    await popup.openSiteOptions();
    await popup.switchNamed('Auto-clear on update').click();
    await expect.poll(async () => (await state.settings()).sites[app.origin]).toEqual({ autoClear: true });
    await popup.page.close().catch(() => undefined);
    await page.waitForVersion(2);
    await state.waitForVerdict(app.origin, 'fresh');
    const after = await page.snapshot();
    expect(after.workers).toEqual([]);
    expect(after.caches).toEqual([]);
    expect(after.localStorage).toEqual(data.localStorage);
    expect(after.chat).toBe(data.chat);
    expect(page.documentLoads()).toBe(1);
    const notes = await session.extension(async () => Object.keys(await chrome.notifications.getAll()));
    expect(notes).toContain(`auto-${app.origin}`);
    await page.page.close();
  });

  it('e) a visit 3 s after a check, with an upgrade in between, is acted on by the trailing check', async () => {
    const app = await serve({ port: 7861, name: 'trailing-app', serviceWorker: true });
    await setSiteOptions(session, app.origin, { autoClear: true });
    const page = await AppPage.seeded(session, app); // its reload is the check that opens the window
    await state.waitForVerdict(app.origin, 'fresh');
    const checkedAt = Date.now();
    app.upgrade();
    await new Promise((r) => setTimeout(r, Math.max(0, checkedAt + 3000 - Date.now())));
    app.resetRequests();
    await page.navigateAwayAndBack(); // the worker serves v1; the detector answers from the check 3 s ago
    expect(await page.appVersion()).toBe(1);
    await page.waitForVersion(2, 25_000);
    expect(page.documentLoads()).toBe(1);
    await page.page.close();
  });
});
