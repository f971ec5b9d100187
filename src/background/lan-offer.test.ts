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
  // The worker's start (stored items brought up to their versions) is done before the test looks at storage.
  await (await import('./guarded')).whenStarted();
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

  it('on a private address; on the internet only a page built like the tool, not one that names it', async () => {
    await loadBackground();
    world.origins.set('http://192.168.1.50:7860', PAGE('<gradio-app>\n<title>Gradio</title>'));
    world.origins.set('https://lab.example', PAGE('jupyter-config-data\n<title>Home - JupyterLab</title>'));
    world.origins.set('https://github.com', PAGE('<title>Releases · LostRuins/koboldcpp</title>'));
    world.origins.set('https://docs.example', PAGE('<title>window.gradio_config = {} &lt;gradio-app></title>'));
    expect(await ask({ type: 'protect-offer', tabId: await openTab('http://192.168.1.50:7860/') })).toMatchObject({ app: 'Gradio', network: 'private' });
    expect(await ask({ type: 'protect-offer', tabId: await openTab('https://lab.example/tree') })).toMatchObject({ app: 'Jupyter', network: 'public' });
    expect(await ask({ type: 'protect-offer', tabId: await openTab('https://github.com/LostRuins/koboldcpp/releases') })).toBeNull();
    // Its title names Gradio's structure; the title is never read for it.
    expect(await ask({ type: 'protect-offer', tabId: await openTab('https://docs.example/') })).toBeNull();
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

  it('a message without a real tab is refused', async () => {
    await loadBackground();
    expect(await ask({ type: 'protect-offer', tabId: -1 })).toBeUndefined();
    expect(await ask({ type: 'protect-offer', tabId: 1.5 })).toBeUndefined();
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
    await vi.waitFor(async () => expect(await customOrigins()).toContain(LAN));
  });

  it('a Deny the popup lived to see cancels the click: a later grant of the host protects nothing', async () => {
    await loadBackground();
    await ask({ type: 'protect-on-grant', origin: LAN });
    await ask({ type: 'protect-on-grant', origin: LAN, cancel: true });
    await fake.permissions.request({ origins: ['http://gpu-box.local/*'] });
    await new Promise((r) => setTimeout(r, 20));
    expect(await customOrigins()).not.toContain(LAN);
  });

  it('a Deny nobody heard (Chromium closed the popup): only the newest click on the host is protected by a later grant', async () => {
    await loadBackground();
    world.denyRequests = true;
    await ask({ type: 'protect-on-grant', origin: LAN });
    expect(await fake.permissions.request({ origins: ['http://gpu-box.local/*'] })).toBe(false);
    // The user then protects another port of the same box and allows it.
    world.denyRequests = false;
    await ask({ type: 'protect-on-grant', origin: 'http://gpu-box.local:7860' });
    await fake.permissions.request({ origins: ['http://gpu-box.local/*'] });
    await vi.waitFor(async () => expect(await customOrigins()).toContain('http://gpu-box.local:7860'));
    expect(await customOrigins()).not.toContain(LAN);
  });

  it('a grant of another host, or of this one after the wait, protects nothing', async () => {
    await loadBackground();
    await ask({ type: 'protect-on-grant', origin: LAN });
    await fake.permissions.request({ origins: ['http://nas.lan/*'] });
    await new Promise((r) => setTimeout(r, 20));
    expect(await customOrigins()).not.toContain(LAN);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + GRANT_WAIT_MS + 1000);
    await fake.permissions.request({ origins: ['http://gpu-box.local/*'] });
    await new Promise((r) => setTimeout(r, 20));
    expect(await customOrigins()).not.toContain(LAN);
    expect(Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k.startsWith('pendingGrant:'))).toEqual([]);
  });

  it('the background stopped and started between the click and the grant: the wait is in storage and still completes', async () => {
    await loadBackground();
    await ask({ type: 'protect-on-grant', origin: LAN });
    await loadBackground();
    await fake.permissions.request({ origins: ['http://gpu-box.local/*'] });
    await vi.waitFor(async () => expect(await customOrigins()).toContain(LAN));
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
