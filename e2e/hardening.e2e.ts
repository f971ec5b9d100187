import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumSession } from './drivers/chromium';
import { FirefoxSession } from './drivers/firefox';
import { pressShortcut } from './drivers/keyboard';
import { BROWSERS, launch } from './drivers/launch';
import type { BrowserSession } from './drivers/session';
import { AppServer } from './fixtures/app-server';
import { AppPage } from './pages/app-page';
import { ExtensionState } from './pages/extension-state';
import { openOptions } from './pages/options-page';
import { openPopup, PopupPage } from './pages/popup-page';

/**
 * Each case reproduces one finding of a probe of 0.1.0 (a hostile page, a
 * careless user, a rollback) and checks what the user sees now.
 */
const dir = mkdtempSync(join(tmpdir(), 'stalebuster-hardening-'));
const storedSettings = (session: BrowserSession) => session.extension(async () => JSON.stringify((await chrome.storage.local.get('settings')).settings));
const ruleFilters = (session: BrowserSession) => new ExtensionState(session).ruleFilters();

describe.each(BROWSERS)('hardening in %s', (browserName) => {
  let session: BrowserSession;
  let app: AppServer;
  beforeAll(async () => {
    app = await new AppServer({ port: 7860, urlHost: 'localhost', name: 'hardening-app' }).start();
    session = await launch(browserName);
  });
  afterAll(async () => {
    await session?.close();
    await app?.stop();
  });

  it('5,000 pageshow events a page dispatches itself reach nothing: no reload, no request', async () => {
    const page = new AppPage(await session.newPage(), app);
    await page.open();
    const state = new ExtensionState(session);
    await state.waitForVerdict(app.origin, 'fresh'); // its own load has been reported and judged
    await page.setUserState('work in progress');
    app.upgrade();
    // Past the window in which the server's last answer is reused (a report then asks the server afresh): one
    // forwarded "history return" would now be checked, found old, and reloaded.
    await state.waitUntilCheckWindowEnds(app.origin);
    const reported = await state.record(app.origin);
    app.resetRequests();
    await page.page.evaluate(() => {
      for (let i = 0; i < 5000; i++) dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      // Then one real sign, after them: a code file of the page's own origin that fails to load (a trusted error
      // event). Its check is the observable end of this test: anything the 5,000 events had set off went before it.
      const sentinel = document.createElement('script');
      sentinel.src = `/gone-${Date.now()}.js`;
      document.head.append(sentinel);
    });
    await state.waitForVerdict(app.origin, 'stale'); // the real sign was handled
    // No report reached the detector for them: its record of the page is the one of its own load (a forwarded
    // "history return" is written there before its check, so before the real sign's check could end).
    expect(await state.record(app.origin)).toMatchObject({ reportedAt: reported!.reportedAt, navigation: 'navigate' });
    expect(await page.userState()).toBe('work in progress');
    // The real sign's check and the second request that confirms a stale answer; nothing for the 5,000.
    expect(page.extensionRequests()).toBeGreaterThan(0);
    expect(page.extensionRequests()).toBeLessThanOrEqual(2);
    expect(page.documentLoads()).toBe(0);
    await page.page.close();
  });

  it('a DOMContentLoaded the page fires itself, before its code tags, does not make it look stale', async () => {
    const hostile = await new AppServer({ port: 7862, urlHost: 'localhost', name: 'early-event', headScript: "dispatchEvent(new Event('DOMContentLoaded'))" }).start();
    try {
      const page = new AppPage(await session.newPage(), hostile);
      await page.open();
      // Reported at the browser's own event, with every code file the page loaded: the page runs what the server serves.
      expect(await new ExtensionState(session).waitForVerdict(hostile.origin, 'fresh')).toEqual({ state: 'fresh' });
      await page.page.close();
    } finally {
      await hostile.stop();
    }
  });

  it('an import with 6,000 per-site settings is refused with the limit named; settings and rules unchanged', async () => {
    const options = await openOptions(session);
    const [before, rulesBefore] = [await storedSettings(session), await ruleFilters(session)];
    const settings = JSON.parse(before);
    settings.sites = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`http://10.0.${Math.floor(i / 250)}.${i % 250}:7860`, { mode: 'bypass' }]));
    const file = join(dir, `over-limit-${browserName}.json`);
    writeFileSync(file, JSON.stringify(settings));
    await options.importFile(file);
    await options.page.waitForSelector('::-p-text(That file has 6,000 per-site settings; Stalebuster keeps at most 2,000. Nothing changed.)');
    expect(await storedSettings(session)).toBe(before);
    expect(await ruleFilters(session)).toEqual(rulesBefore);
  });

  it('an 11.5 MB settings file is refused at once with a message, and nothing is stored', async () => {
    const options = await openOptions(session);
    const before = await storedSettings(session);
    const settings = JSON.parse(before);
    settings.customOrigins = [];
    settings.sites = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`http://h${i}.lab:7860`, { keepSiteData: true, includeCookies: true, autoClearSiteData: true, mode: 'bypass' }]));
    const file = join(dir, `huge-${browserName}.json`);
    writeFileSync(file, JSON.stringify(settings));
    await options.importFile(file);
    await options.page.waitForSelector('::-p-text(That file is too large to be Stalebuster settings)', { timeout: 5000 });
    expect(await storedSettings(session)).toBe(before);
  });

  it('settings written by a newer version (a rollback) keep the user\'s sites, with the full copy kept aside', async () => {
    const newer = JSON.parse(await storedSettings(session));
    Object.assign(newer, { version: 9, customOrigins: ['http://gpu-box.local:8188'], futureOption: { on: true } });
    newer.sites = { 'http://localhost:7861': { keepSiteData: true } };
    await session.extension((s) => chrome.storage.local.set({ settings: s }), newer);
    await expect.poll(async () => JSON.parse(await storedSettings(session)).version).not.toBe(9); // repaired
    const kept = JSON.parse(await storedSettings(session));
    expect(kept.customOrigins).toEqual(['http://gpu-box.local:8188']);
    expect(kept.sites).toEqual({ 'http://localhost:7861': { keepSiteData: true } });
    const options = await openOptions(session);
    await options.page.waitForSelector('::-p-text(written by a newer version of Stalebuster)');
    expect(await options.listedOrigins()).toEqual(['http://gpu-box.local:8188']);
    await options.page.locator('::-p-aria([name="Restore the copy"][role="button"])').click();
    await options.page.waitForSelector('::-p-text(This copy needs the newer version of Stalebuster)');
    const aside = await session.extension(async () => (await chrome.storage.local.get('settingsAside')).settingsAside as { raw: { futureOption: unknown } });
    expect(aside.raw.futureOption).toEqual({ on: true });
  });
});

describe.each(BROWSERS)('a held shortcut in %s', (browserName) => {
  let session: BrowserSession;
  let app: AppServer;
  beforeAll(async () => {
    app = await new AppServer({ port: 7860, urlHost: 'localhost', name: 'key-repeat-app' }).start();
    session = await launch(browserName, { headless: false }); // real key presses need a real window
  });
  afterAll(async () => {
    await session?.close();
    await app?.stop();
  });

  it('20 real Alt+Shift+K presses in 1.4 s clear once, with at most one extra notice', async () => {
    const page = new AppPage(await session.newPage(), app);
    await page.open();
    await page.page.bringToFront();
    await countNotifications(session);
    app.resetRequests();
    pressShortcut('key-repeat-app', 'alt+shift+k', { repeat: 20, delayMs: 70 });
    await page.page.waitFor(() => document.readyState === 'complete' && window.__READY__ === true);
    // Past the clear's cool-down, read from its journal: a press handled after it would have cleared again.
    await new ExtensionState(session).waitUntilCoolDownEnds(app.origin);
    expect(page.documentLoads()).toBe(1);
    const notes = await countNotifications(session);
    console.log(`${browserName}: notifications during 20 presses:`, notes);
    expect(notes.filter((n) => n.startsWith('clear-'))).toHaveLength(notes.length);
    expect(notes.length).toBeGreaterThanOrEqual(1);
    expect(notes.length).toBeLessThanOrEqual(2);
  });
});

describe('a malformed stored report in chromium', () => {
  let session: ChromiumSession;
  let app: AppServer;
  beforeAll(async () => {
    app = await new AppServer({ port: 7861, urlHost: 'localhost', name: 'report-app' }).start();
    session = await ChromiumSession.launch();
  });
  afterAll(async () => {
    await session?.close();
    await app?.stop();
  });

  it('does not blank the popup: the site panel and its action are there', async () => {
    await session.extension(
      (origin) => chrome.storage.local.set({ reports: { [origin]: { origin, at: Date.now(), trigger: 'popup', caches: 7, indexedDB: 'x' } } }),
      app.origin,
    );
    const page = await session.newPage();
    await page.goto(`${app.origin}/`);
    await page.bringToFront();
    const popup = new PopupPage(await session.openPopup());
    await popup.page.waitForSelector('::-p-text(localhost:7861)');
    const button = await popup.button('Clear & reload').waitHandle();
    expect(await button.evaluate((el) => (el as HTMLButtonElement).disabled)).toBe(false);
    expect(await popup.text()).not.toContain('Last cleared');
    await popup.page.close();
  });
});

/**
 * Stored data an older version left: a new background (after an update, or any
 * restart) stores it upgraded before it handles anything. Chromium: its worker
 * is stopped as an idle one is and woken; Firefox: the browser is restarted on
 * the same profile, which starts the background anew with the storage kept.
 */
describe.each(BROWSERS)('a report an older version stored, in %s', (browserName) => {
  let session: BrowserSession;
  let app: AppServer;
  const profile = mkdtempSync(join(tmpdir(), `stalebuster-upgrade-${browserName}-`));
  const start = () => (browserName === 'chromium' ? ChromiumSession.launch() : FirefoxSession.launch({ profileDir: profile }));
  beforeAll(async () => {
    app = await new AppServer({ port: 7863, urlHost: 'localhost', name: 'upgrade-app' }).start();
    session = await start();
  });
  afterAll(async () => {
    await session?.close();
    await app?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it('is read upgraded at once, stored upgraded by the next background, and shown in the popup', async () => {
    // As 0.1.0 stored it: no backup fields (it took none), and no record of stored versions.
    await session.extension(async (origin) => {
      await chrome.storage.local.remove('storedVersions');
      await chrome.storage.local.set({ reports: { [origin]: {
        origin, at: Date.now(), trigger: 'popup', pageStep: 'done', keptSiteData: false, cookies: false, serviceWorkers: 1,
        caches: ['shell-v1'], indexedDB: [], localStorageItems: 0, sessionStorageItems: 0, bytesBefore: null, bytesAfter: null,
      } } });
    }, app.origin);
    const stored = () => session.extension(async (origin) => ((await chrome.storage.local.get('reports')).reports as Record<string, unknown>)[origin], app.origin);
    // Read before any background stored it upgraded, it is read upgraded: the popup shows the last clear already.
    const page = await session.newPage();
    await page.goto(`${app.origin}/`);
    const before = await openPopup(session, page, app.origin);
    await before.page.waitForSelector('::-p-text(Last cleared)');
    await before.page.close();
    expect(await stored()).not.toHaveProperty('undo');

    if (session instanceof ChromiumSession) {
      await session.restartWorker();
    } else {
      await session.close();
      session = await start();
    }
    await expect
      .poll(() => session.extension(async () => (await chrome.storage.local.get('storedVersions')).storedVersions as unknown).catch(() => undefined), { timeout: 15_000 })
      .toMatchObject({ reports: 2 });
    expect(await stored()).toMatchObject({ undo: null, keptSiteDataBecause: null, backupDetail: null, caches: ['shell-v1'] });
    const shown = await session.newPage();
    await shown.goto(`${app.origin}/`);
    const after = await openPopup(session, shown, app.origin);
    await after.page.waitForSelector('::-p-text(Last cleared)');
    await after.page.close();
  });
});

/**
 * Notifications the background creates from now on (returns those since the
 * last call). Test instrumentation: it wraps the API inside the extension,
 * since the ids are reused and the browser shows only the latest of each.
 */
async function countNotifications(session: BrowserSession): Promise<string[]> {
  return session.extension(async () => {
    type Scope = typeof globalThis & { __notes?: string[]; browser?: typeof chrome };
    // Firefox: the background is another page; reach it from the options page.
    const bg = ((await (chrome.runtime as unknown as { getBackgroundPage?: () => Promise<Scope> }).getBackgroundPage?.()) ?? globalThis) as Scope;
    const seen = bg.__notes ?? [];
    if (!bg.__notes) {
      bg.__notes = [];
      // `chrome` and `browser` may share one notifications object: wrap each object once.
      for (const api of new Set([bg.chrome?.notifications, bg.browser?.notifications])) {
        if (!api) continue;
        const create = api.create.bind(api) as (...a: unknown[]) => unknown;
        (api as unknown as { create: unknown }).create = (...a: unknown[]) => {
          bg.__notes!.push(String(a[0]));
          return create(...a);
        };
      }
    }
    bg.__notes = [];
    return seen;
  });
}
