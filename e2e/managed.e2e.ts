import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_ID } from '../manifest.config.ts';
import { enforcedMode, type DnrRule } from '../src/core/dnr-rules';
import { ChromiumSession } from './drivers/chromium';
import { FirefoxSession } from './drivers/firefox';
import { BROWSERS, type BrowserName } from './drivers/launch';
import { writePolicy, type WrittenPolicy } from './drivers/policy';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { AppPage } from './pages/app-page';
import { openOptions } from './pages/options-page';
import { openPopup } from './pages/popup-page';

/**
 * Settings an organisation sets by policy, read by the real browsers from real
 * policy files. The policy protects a local app (loopback: Stalebuster may act
 * on it at once) and a lab machine (which needs the user's grant), locks that
 * protection, sets "keep site data" for everyone, and carries two bad values.
 * The user has switched "all loopback ports" off, so the local app is
 * protected by the policy's list alone.
 */
// Not 4190: Firefox refuses that port (ManageSieve) outright.
const MANAGED_LOCAL = 'http://localhost:4192';
const MANAGED_LAB = 'http://gpu-01.lab:7860';
/** An app behind a lab's reverse proxy, listed with its path (no server: only the rules it gets are read). */
const MANAGED_PROXY = 'http://localhost:4194';
const POLICY = {
  protectedOrigins: [MANAGED_LOCAL, MANAGED_LAB, '*://*/*', `${MANAGED_PROXY}/comfy/`],
  lockProtection: true,
  keepSiteDataDefault: true,
  defaultMode: 'turbo',
  undoCapMb: 900,
};

const dir = mkdtempSync(join(tmpdir(), 'stalebuster-managed-'));
/** What the installed rules do for an origin's pages (the same reading the popup uses). */
const enforced = async (session: BrowserSession, origin: string) =>
  enforcedMode((await session.extension(async () => chrome.declarativeNetRequest.getDynamicRules())) as unknown as DnrRule[], origin);
const userSettings = (session: BrowserSession) => session.extension(async () => (await chrome.storage.local.get('settings')).settings as Record<string, unknown>);

describe.each(BROWSERS)('managed settings in %s', (browserName: BrowserName) => {
  let session: BrowserSession;
  let policy: WrittenPolicy;
  let app: AppServer;
  const profile = mkdtempSync(join(tmpdir(), `stalebuster-managed-${browserName}-`));
  const start = () => (browserName === 'chromium' ? ChromiumSession.launch() : FirefoxSession.launch({ profileDir: profile }));

  beforeAll(async () => {
    app = await new AppServer({ port: 4192, urlHost: 'localhost', name: 'managed-app' }).start();
    policy = writePolicy(browserName, POLICY);
    session = await start();
  });
  afterAll(async () => {
    policy?.remove();
    await session?.close();
    await app?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it('the browser hands the policy over (Chromium: to the extension id the build pins)', async () => {
    if (session instanceof ChromiumSession) expect(session.extensionId).toBe(CHROME_ID);
    const managed = await session.extension(async () => chrome.storage.managed.get());
    expect(managed).toMatchObject({ protectedOrigins: POLICY.protectedOrigins, lockProtection: true });
  });

  it('a managed origin gets freshness rules', async () => {
    await session.extension(async () => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings: Record<string, unknown> };
      await chrome.storage.local.set({ settings: { ...settings, allLoopbackPorts: false } });
    });
    // Another loopback port is no longer protected: what protects the managed one is the policy.
    await expect.poll(() => enforced(session, 'http://localhost:4321'), { timeout: 10_000 }).toBeNull();
    expect(await enforced(session, MANAGED_LOCAL)).toBe('revalidate');
    // The app under a path gets its rule; the rest of its origin none.
    const filters = await session.extension(async () => (await chrome.declarativeNetRequest.getDynamicRules()).map((r) => r.condition.urlFilter));
    expect(filters).toContain(`|${MANAGED_PROXY}/comfy/`);
    expect(filters).not.toContain(`|${MANAGED_PROXY}/`);
    const page = new AppPage(await session.newPage(), app);
    app.resetRequests();
    await page.page.goto(`${app.origin}/?visit=1`);
    await page.ready();
    expect(app.requests.find((r) => r.dest === 'document')?.cacheControl).toBe('max-age=0');
    await page.page.close();
  });

  it('the options page marks what the organisation set, offers one "Allow access", and names the ignored values', async () => {
    const options = await openOptions(session);
    await options.page.waitForSelector('::-p-text(Sites your organisation protects)');
    const managedList = await options.page.$$eval('ul[aria-labelledby="managed-heading"] .origin', (els) => els.map((e) => e.textContent));
    expect(managedList).toEqual([MANAGED_LAB, MANAGED_LOCAL, MANAGED_PROXY]);
    expect(await options.appPaths(MANAGED_PROXY)).toEqual(['/comfy/']);
    expect(await options.listedOrigins()).toEqual([]); // the user's own list is untouched
    await options.page.waitForSelector('::-p-aria([name="Allow access to 1 sites"][role="button"])');
    const keep = await options.page.locator('::-p-aria([name="Keep site data for every site"][role="switch"])').waitHandle();
    expect(await keep.evaluate((el) => [(el as HTMLInputElement).checked, (el as HTMLInputElement).disabled])).toEqual([true, true]);
    const loopback = await options.page.locator('::-p-aria([name="Protect all loopback ports"][role="switch"])').waitHandle();
    expect(await loopback.evaluate((el) => [(el as HTMLInputElement).checked, (el as HTMLInputElement).disabled])).toEqual([false, false]);
    expect(await options.text()).toContain('Set by your organisation');
    const issues = await options.page.$eval('[data-testid="policy-issues"]', (el) => el.textContent ?? '');
    expect(issues).toContain('protectedOrigins[2]: would cover the whole web (*://*/*)');
    // Chromium drops a value that fails the schema before the extension sees it; Firefox passes it on.
    if (browserName === 'firefox') expect(issues).toContain('defaultMode: not a valid value (turbo)');
  });

  it('the popup cannot turn a locked managed site off', async () => {
    const page = new AppPage(await session.newPage(), app);
    await page.open();
    const popup = await openPopup(session, page.page, app.origin);
    await popup.openSiteOptions();
    const protect = await popup.switchNamed('Protect this site').waitHandle();
    expect(await protect.evaluate((el) => [(el as HTMLInputElement).checked, (el as HTMLInputElement).disabled])).toEqual([true, true]);
    expect(await popup.text()).toContain('Your organisation protects this site');
    // keepSiteDataDefault is set by the policy: the site's switch shows it, and cannot change it.
    const keep = await popup.switchNamed('Keep site data').waitHandle();
    expect(await keep.evaluate((el) => [(el as HTMLInputElement).checked, (el as HTMLInputElement).disabled])).toEqual([true, true]);
    const refused = await popup.page.evaluate((origin) => chrome.runtime.sendMessage({ type: 'set-site', origin, change: { kind: 'options', patch: { keepSiteData: false } } }), MANAGED_LOCAL);
    expect(refused).toEqual({ ok: false, error: { kind: 'managed' } });
    // Asked directly, the background refuses too.
    const answer = await popup.page.evaluate((origin) => chrome.runtime.sendMessage({ type: 'set-site', origin, change: { kind: 'protect', on: false } }), MANAGED_LOCAL);
    expect(answer).toEqual({ ok: false, error: { kind: 'managed' } });
    await popup.page.close();
    await page.page.close();
  });

  it('an import cannot override a lock: it is saved as the user\'s own settings, and the policy still wins', async () => {
    const mine = await userSettings(session);
    const imported = {
      ...mine,
      defaults: { ...(mine.defaults as object), keepSiteData: false },
      customOrigins: ['http://localhost:4321'],
      sites: { [MANAGED_LOCAL]: { protect: false } },
    };
    const file = join(dir, `import-${browserName}.json`);
    writeFileSync(file, JSON.stringify(imported));
    const options = await openOptions(session);
    await options.importFile(file);
    await options.page.waitForSelector('::-p-text(Settings imported.)');
    expect(await userSettings(session)).toEqual(imported);
    // The user's pause of the managed site is saved, and ignored while the policy locks it.
    await expect.poll(() => enforced(session, 'http://localhost:4321')).toBe('revalidate');
    expect(await enforced(session, MANAGED_LOCAL)).toBe('revalidate');
    const keep = await options.page.locator('::-p-aria([name="Keep site data for every site"][role="switch"])').waitHandle();
    expect(await keep.evaluate((el) => (el as HTMLInputElement).checked)).toBe(true);
  });

  it('without the policy, the user\'s own settings are back as they were', async () => {
    const mine = await userSettings(session);
    policy.remove();
    if (session instanceof ChromiumSession) {
      // Chromium re-reads its policy directory while running.
      await expect.poll(() => session.extension(async () => Object.keys(await chrome.storage.managed.get()).length), { timeout: 20_000 }).toBe(0);
    } else {
      // Firefox reads policies at start-up: the same profile, started again.
      await session.close();
      session = await start();
    }
    await expect.poll(() => enforced(session, MANAGED_LOCAL), { timeout: 10_000 }).toBeNull();
    expect(await enforced(session, 'http://localhost:4321')).toBe('revalidate');
    expect(await userSettings(session)).toEqual(mine);
    const options = await openOptions(session);
    const keep = await options.page.locator('::-p-aria([name="Keep site data for every site"][role="switch"])').waitHandle();
    expect(await keep.evaluate((el) => [(el as HTMLInputElement).checked, (el as HTMLInputElement).disabled])).toEqual([false, false]);
    expect(await options.page.$('::-p-text(Sites your organisation protects)')).toBeNull();
  });
});

/**
 * A list with one entry of the wrong type. Firefox hands it over as it is: the
 * valid origins apply and the bad entry is named. Chromium drops the whole list
 * before the extension sees it (its schema format has no permissive item type):
 * the settings page says so instead of showing an organisation with no sites.
 */
describe.each(BROWSERS)('a policy list with an entry of the wrong type in %s', (browserName: BrowserName) => {
  const BAD_LIST = { protectedOrigins: ['http://localhost:4193', 42], lockProtection: true };
  let session: BrowserSession;
  let policy: WrittenPolicy;
  const profile = mkdtempSync(join(tmpdir(), `stalebuster-badlist-${browserName}-`));

  beforeAll(async () => {
    policy = writePolicy(browserName, BAD_LIST);
    session = browserName === 'chromium' ? await ChromiumSession.launch() : await FirefoxSession.launch({ profileDir: profile });
  });
  afterAll(async () => {
    policy?.remove();
    await session?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('applies what it can and names what was ignored', async () => {
    const options = await openOptions(session);
    const issues = await options.page.waitForSelector('[data-testid="policy-issues"]').then((el) => el!.evaluate((e) => e.textContent ?? ''));
    if (browserName === 'firefox') {
      expect(issues).toContain('protectedOrigins[1]: not a valid value (42)');
      await expect.poll(() => enforced(session, 'http://localhost:4193')).toBe('revalidate');
    } else {
      expect(issues).toContain('protectedOrigins: locked, but no list arrived');
      expect(await session.extension(async () => chrome.storage.managed.get())).toEqual({ lockProtection: true });
    }
  });
});
