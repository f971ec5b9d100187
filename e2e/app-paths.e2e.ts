import { afterEach, describe, expect, it } from 'vitest';
import { ChromiumSession } from './drivers/chromium';
import { BROWSERS } from './drivers/launch';
import { browserSuite } from './drivers/suite';
import type { PageLike } from './drivers/session';
import { ReverseProxy } from './fixtures/reverse-proxy';
import type { AppServer } from './fixtures/app-server';
import { AppPage } from './pages/app-page';
import { timePasses } from './pages/extension-state';
import { openOptions } from './pages/options-page';
import { openPopup } from './pages/popup-page';

/** Every Cache Storage entry of the origin, as `cache name → sorted URLs`. */
function cacheEntries(page: PageLike): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => r.url).sort();
    return out;
  });
}

/**
 * Two apps behind one reverse proxy on one origin (`/comfy/` and `/other/`,
 * each app's prefix stripped as nginx does), each with an offline-first worker
 * scoped to its path and the site data it keeps. The user protects
 * `/comfy/` only, by typing its address in the options page.
 *
 * The proxy is on loopback, not on a LAN name: service workers and Cache
 * Storage exist only in a secure context, which a plain-HTTP LAN name is not
 * (tried: `navigator.serviceWorker` is undefined there in both browsers).
 * Loopback is a secure context, as the HTTPS a lab's proxy serves is.
 */
describe.each(BROWSERS)('apps under a path behind one reverse proxy, in %s', (browserName) => {
  const suite = browserSuite(browserName);
  let proxy: ReverseProxy | undefined;
  afterEach(async () => {
    await proxy?.stop();
  });

  async function lab(comfyOptions: { gradio?: boolean } = {}): Promise<{ proxy: ReverseProxy; comfy: AppServer; other: AppServer }> {
    const comfy = await suite.serve({ name: `comfy-${comfyOptions.gradio ? 'auto' : 'manual'}`, serviceWorker: true, publicPath: '/comfy/', ...comfyOptions });
    const other = await suite.serve({ name: 'other-app', serviceWorker: true, publicPath: '/other/' });
    proxy = await new ReverseProxy({ '/comfy/': comfy.port, '/other/': other.port }).start();
    const options = await openOptions(suite.session);
    expect(await options.addOrigin(`${proxy.origin}/comfy/`)).toBe(`Added ${proxy.origin}/comfy/.`);
    expect(await options.appPaths(proxy.origin)).toEqual(['/comfy/']);
    if (suite.session instanceof ChromiumSession) await options.page.close();
    // The app's path gets the freshness rule; the rest of the origin (the other app) none.
    await expect.poll(() => suite.state.ruleFilters(), { timeout: 10_000 }).toContain(`|${proxy.origin}/comfy/`);
    expect(await suite.state.ruleFilters()).not.toContain(`|${proxy.origin}/`);
    return { proxy, comfy, other };
  }

  it('c) Clear & reload fixes /comfy/ and leaves /other/\'s worker, cache entries and the shared site data alone, and says so', async () => {
    const { proxy, comfy, other } = await lab();
    const otherPage = await AppPage.seeded(suite.session, other, `${proxy.origin}/other/`);
    const comfyPage = await AppPage.seeded(suite.session, comfy, `${proxy.origin}/comfy/`);
    const before = await otherPage.snapshot();
    const entriesBefore = await cacheEntries(otherPage.page);
    // Both workers are registered, each scoped to its app; both apps cached into the one `shell-v1`.
    expect(before.workers.map((w) => w.scope).sort()).toEqual([`${proxy.origin}/comfy/`, `${proxy.origin}/other/`]);
    expect(Object.keys(entriesBefore)).toEqual(['shell-v1']);
    const otherEntries = entriesBefore['shell-v1']!.filter((u) => u.startsWith(`${proxy.origin}/other/`));
    expect(otherEntries.length).toBeGreaterThan(0);
    expect(entriesBefore['shell-v1']!.some((u) => u.startsWith(`${proxy.origin}/comfy/`))).toBe(true);

    comfy.upgrade();
    await comfyPage.reload();
    // Its worker answers before any network rule: F5 alone cannot fix this.
    expect(await comfyPage.appVersion()).toBe(1);

    const popup = await openPopup(suite.session, comfyPage.page, `${proxy.origin}/comfy`);
    expect(await popup.text()).toContain(`${new URL(proxy.origin).host}/comfy/`);
    await popup.clearAndReload();
    const report = await popup.waitForReport();
    expect(report).toContain('only the app under /comfy/');
    expect(report).toContain('site data (localStorage, IndexedDB) is shared by every app of this origin: kept');
    expect(report).toContain('other apps here keep service workers: 1, caches: 1');
    await popup.page.close();

    await comfyPage.waitForVersion(2);
    expect(await comfyPage.pluginVersion()).toBe(2);
    const after = await otherPage.snapshot();
    // /other/: its worker still runs and controls its page; its cache entries, every one, are there.
    expect(after.workers).toEqual([{ scope: `${proxy.origin}/other/`, state: 'activated' }]);
    expect(after.controlled).toBe(true);
    expect(await cacheEntries(otherPage.page)).toEqual({ 'shell-v1': otherEntries });
    // Shared by the origin, and kept: localStorage, IndexedDB.
    expect(after.localStorage).toEqual(before.localStorage);
    expect(after.chat).toBe(before.chat);
    expect(await otherPage.appVersion()).toBe(1);
    // Kept as /comfy/'s own report: /other/'s popup shows its own.
    expect(await suite.state.report(`${proxy.origin}/comfy/`)).toMatchObject({ scoped: { path: '/comfy/', otherWorkers: 1, otherCaches: 1 }, keptSiteData: true });
    // /other/ is outside every app: its popup says so and offers to make it one, which only adds its rule.
    const otherPopup = await openPopup(suite.session, otherPage.page, `${proxy.origin}/other`);
    expect(await otherPopup.text()).toContain('outside the apps protected on this origin');
    expect(await otherPopup.primaryAction()).toEqual({ name: 'Protect /other/ as an app', disabled: false });
    await otherPopup.button('Protect /other/ as an app').click();
    await expect.poll(() => suite.state.ruleFilters(), { timeout: 10_000 }).toContain(`|${proxy.origin}/other/`);
    expect(await suite.state.ruleFilters()).not.toContain(`|${proxy.origin}/`);
    await otherPopup.page.close();
    await comfyPage.page.close();
    await otherPage.page.close();
  });

  it('d) the detector, the version check and auto-clear for /comfy/ ask /comfy/, never the origin\'s root', async () => {
    const { proxy, comfy } = await lab({ gradio: true });
    const comfyPage = await AppPage.seeded(suite.session, comfy, `${proxy.origin}/comfy/`);
    const popup = await openPopup(suite.session, comfyPage.page, `${proxy.origin}/comfy`);
    // The version comes from the app's own endpoint, under its path (only the extension asks it: the page never does).
    await popup.page.waitForSelector('::-p-text(Gradio 5.1.0)');
    expect(proxy.requests.filter((r) => r.path.endsWith('/config')).map((r) => [r.path, r.status])).toContainEqual(['/comfy/config', 200]);
    await popup.openSiteOptions();
    await popup.switchNamed('Auto-clear on update').click();
    await expect.poll(() => popup.isChecked('Auto-clear on update')).toBe(true);
    await popup.page.close();

    comfy.upgrade();
    await timePasses(suite.session);
    proxy.requests.length = 0;
    await comfyPage.navigateAwayAndBack();
    // The worker served v1; the detector's request to /comfy/ saw v2, and auto-clear fixed the app.
    await comfyPage.waitForVersion(2);
    await suite.state.waitForVerdict(`${proxy.origin}/comfy`, 'fresh');
    expect((await comfyPage.snapshot()).workers.filter((w) => w.scope.endsWith('/comfy/'))).toEqual([]);
    // The verdict that led to the fix came from what the server answered under the app's path: nothing was
    // asked of the origin's root (a 404 there would have left the verdict at "can't tell", and no fix), nor
    // of a version endpoint outside the app.
    expect(proxy.outsideApps()).toEqual([]);
    await comfyPage.page.close();
  });
});
