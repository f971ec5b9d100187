import { describe, expect, it } from 'vitest';
import { BROWSERS, waitForRule } from './drivers/launch';
import { browserSuite } from './drivers/suite';
import { AppPage } from './pages/app-page';
import { clickAndAllow, openPopupAsUser } from './pages/popup-page';

/**
 * An AI tool on another machine of the user's network, opened by a local name.
 * The names are mapped to 127.0.0.1 inside the browser under test (Chromium
 * --host-resolver-rules, Firefox network.dns.localDomains): no request leaves
 * the test's own loopback. The popup is opened by hand (a real key or click,
 * which is what lets the extension read the tab), and the browser's own
 * permission prompt is answered by keyboard.
 */
describe.each(BROWSERS)('a tool on a LAN box, in %s', (browserName) => {
  const suite = browserSuite(browserName, { headless: false, lanNames: ['gpu-box.local', 'nas.lan'] });

  it('the popup recognises the Gradio app, one click protects it, and after an upgrade it runs the new code', async () => {
    const app = await suite.serve({ name: 'lan-gradio', gradio: true, urlHost: 'gpu-box.local' });
    const page = new AppPage(await suite.session.newPage(), app);
    await page.open();
    expect(await page.appVersion()).toBe(1);

    const popup = await openPopupAsUser(suite.session, page.page, 'lan-gradio', app.origin);
    await popup.page.waitForSelector('[data-offer="shown"]', { timeout: 20_000 });
    expect(await popup.status()).toMatchObject({ title: `This is Gradio on gpu-box.local:${app.port}`, tone: 'offer' });
    expect(await popup.primaryAction()).toEqual({ name: 'Protect it', disabled: false });
    expect(await popup.text()).toContain('reach gpu-box.local (any port of it)');
    expect(await popup.tabOrder(3)).toEqual(['Settings', 'Protect it', 'Options for this site']);
    expect(await popup.axeViolations()).toEqual([]);

    await clickAndAllow(suite.session, popup, 'Protect it', app.origin);
    // The protection follows the grant in the background, whether or not the popup is still open.
    await waitForRule(suite.session, app.origin, 'max-age=0');
    await suite.state.waitForAddedSiteScript(app.origin);
    const granted = await suite.session.extension(async () => (await chrome.permissions.getAll()).origins ?? []);
    // Only the one host was asked for: no wider grant.
    expect(granted.filter((p) => !/localhost|127\.0\.0\.1|\[::1\]/.test(p))).toEqual(['http://gpu-box.local/*']);

    app.upgrade();
    await page.navigateAwayAndBack();
    expect([await page.appVersion(), await page.pluginVersion()]).toEqual([2, 2]);
    await suite.state.waitForVerdict(app.origin, 'fresh');
    await page.page.close();
  });

  it('a plain page on a LAN name gets no tool offer, and stays stale unprotected (so the test above can fail)', async () => {
    const plain = await suite.serve({ name: 'nas-page', urlHost: 'nas.lan' });
    const page = new AppPage(await suite.session.newPage(), plain);
    await page.open();

    const popup = await openPopupAsUser(suite.session, page.page, 'nas-page', plain.origin);
    await popup.page.waitForSelector('[data-offer="none"]', { timeout: 20_000 });
    expect(await popup.status()).toMatchObject({ title: 'Not protected' });
    expect(await popup.primaryAction()).toEqual({ name: 'Protect this site', disabled: false });
    await popup.page.close();

    plain.upgrade();
    await page.navigateAwayAndBack();
    expect(await page.appVersion()).toBe(1);
    await page.page.close();
  });
});
