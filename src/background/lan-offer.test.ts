/**
 * "This is ComfyUI on gpu-box.local:8188 — Protect it": the popup's offer and
 * the protection that follows the browser's grant, through the background's
 * real entry point and events, against the stateful fake.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fake, openTab, world, type FakePage } from '../test/fake-extension';
import { GRANT_WAIT_MS } from './pending-grants';

const POPUP = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('src/popup/index.html') });
const LAN = 'http://gpu-box.local:8188';
const PAGE = (markers: string): FakePage => ({ serviceWorkers: 0, caches: [], databases: [], localStorage: {}, sessionStorage: {}, usage: 1, markers });

async function loadBackground(): Promise<void> {
  vi.resetModules();
  await import('./index');
  await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.2.0' });
}

async function ask<T>(message: Record<string, unknown>): Promise<T> {
  const [answer] = await fakeBrowser.runtime.onMessage.trigger(message, POPUP(), () => undefined);
  return answer as T;
}

async function customOrigins(): Promise<string[]> {
  return ((await fakeBrowser.storage.local.get('settings')) as { settings: { customOrigins: string[] } }).settings.customOrigins;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the popup offer on an unprotected page', () => {
  it('names a known tool on a LAN name, and what kind of address it is', async () => {
    await loadBackground();
    world.origins.set(LAN, PAGE('<title>ComfyUI</title>\nid=comfy-user-selection'));
    const tab = await openTab(`${LAN}/`);
    expect(await ask({ type: 'protect-offer', tabId: tab })).toEqual({ origin: LAN, app: 'ComfyUI', network: 'local-name' });
  });

  it('on a private address, and on a public one too when the page is a known tool', async () => {
    await loadBackground();
    world.origins.set('http://192.168.1.50:7860', PAGE('<title>Gradio</title>\n<gradio-app>'));
    world.origins.set('https://lab.example', PAGE('<title>Home - Jupyter</title>\njupyter-config-data'));
    expect(await ask({ type: 'protect-offer', tabId: await openTab('http://192.168.1.50:7860/') })).toMatchObject({ app: 'Gradio', network: 'private' });
    expect(await ask({ type: 'protect-offer', tabId: await openTab('https://lab.example/tree') })).toMatchObject({ app: 'Jupyter', network: 'public' });
  });

  it('offers nothing for a plain page, a page it may not read, a protected site, or a browser page', async () => {
    await loadBackground();
    world.origins.set('http://nas.lan', PAGE('<title>My NAS</title>'));
    expect(await ask({ type: 'protect-offer', tabId: await openTab('http://nas.lan/') })).toBeNull();
    // No access to the page (no click on the button): executeScript refuses, and nothing is offered.
    expect(await ask({ type: 'protect-offer', tabId: await openTab('http://printer.lan/') })).toBeNull();
    // localhost:7860 is protected by default: nothing to offer, even for a Gradio page.
    world.origins.set('http://localhost:7860', PAGE('<gradio-app>'));
    expect(await ask({ type: 'protect-offer', tabId: await openTab('http://localhost:7860/') })).toBeNull();
    expect(await ask({ type: 'protect-offer', tabId: await openTab('chrome://settings') })).toBeNull();
  });

  it('a hostile title is read as data: no offer unless a marker matches, and the message is refused without a tab', async () => {
    await loadBackground();
    world.origins.set('http://evil.lan', PAGE(`<title>${'<'.repeat(10_000)}</title>`));
    expect(await ask({ type: 'protect-offer', tabId: await openTab('http://evil.lan/') })).toBeNull();
    expect(await ask({ type: 'protect-offer', tabId: -1 })).toBeUndefined();
    expect(await ask({ type: 'protect-offer' })).toBeUndefined();
  });
});

describe('"Protect it": the protection follows the grant, with or without the popup', () => {
  it('a grant that arrives after the popup is gone still protects the site, and only it', async () => {
    await loadBackground();
    expect(await ask({ type: 'protect-on-grant', origin: LAN })).toEqual({ ok: true });
    expect(await customOrigins()).not.toContain(LAN);
    // The user clicks Allow; the popup that asked was closed by the browser's dialog.
    await fake.permissions.request({ origins: ['http://gpu-box.local/*'] });
    await vi.waitFor(async () => expect(await customOrigins()).toContain(LAN));
    await vi.waitFor(() => expect(world.rules.map((r) => r.condition.urlFilter)).toContain(`|${LAN}/`));
    expect((await customOrigins()).filter((o) => !o.includes('localhost'))).toEqual([LAN]);
  });

  it('a grant given before the message arrives protects at once', async () => {
    await loadBackground();
    await fake.permissions.request({ origins: ['http://gpu-box.local/*'] });
    expect(await ask({ type: 'protect-on-grant', origin: LAN })).toEqual({ ok: true });
    expect(await customOrigins()).toContain(LAN);
  });

  it('Deny protects nothing, and a grant of that host long after does not either', async () => {
    await loadBackground();
    world.denyRequests = true;
    await ask({ type: 'protect-on-grant', origin: LAN });
    expect(await fake.permissions.request({ origins: ['http://gpu-box.local/*'] })).toBe(false);
    expect(await customOrigins()).not.toContain(LAN);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + GRANT_WAIT_MS + 1000);
    world.denyRequests = false;
    await fake.permissions.request({ origins: ['http://gpu-box.local/*'] });
    await new Promise((r) => setTimeout(r, 20));
    expect(await customOrigins()).not.toContain(LAN);
    expect(Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k.startsWith('pendingGrant:'))).toEqual([]);
  });

  it('anything but one site address is refused with the reason, and nothing is stored', async () => {
    await loadBackground();
    const before = await fakeBrowser.storage.session.get(null);
    for (const origin of ['http://gpu-box.local:8188/path', '*://*/*', 'javascript:alert(1)', 'http://GPU-BOX.local:8188', '']) {
      expect(await ask({ type: 'protect-on-grant', origin })).toEqual({ ok: false, error: { kind: 'storage', detail: 'not a site address' } });
    }
    expect(await ask({ type: 'protect-on-grant', origin: 'x'.repeat(5000) })).toBeUndefined();
    expect(await fakeBrowser.storage.session.get(null)).toEqual(before);
  });
});
