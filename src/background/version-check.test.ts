import { describe, expect, it, vi } from 'vitest';
import { defaultSettings, withAppPath, withCustomOrigin } from '../core/settings';
import { local } from '../platform/storage';
import { world } from '../test/fake-extension';
import { uiHandlers } from './handlers';
import { MAX_FINGERPRINTS, storeFingerprint } from './version-check';

describe('the version of an app under a path', () => {
  const L = 'http://lab.test:8080';
  const asked: string[] = [];
  const serve = () => {
    asked.length = 0;
    vi.stubGlobal('fetch', async (input: string | URL | Request) => {
      const url = String(input instanceof Request ? input.url : input);
      asked.push(new URL(url).pathname);
      if (url === `${L}/comfy/`) return new Response('<!doctype html><script>window.gradio_config = {"version":"5.1.0"};</script><script src="/comfy/assets/index-1a2b3c4d.js"></script>', { headers: { 'content-type': 'text/html' } });
      if (url === `${L}/comfy/config`) return Response.json({ version: '5.1.0' });
      return new Response('no app here', { status: 404 });
    });
  };

  it('is asked under its path, and kept apart from the origin\'s', async () => {
    world.granted.add('http://lab.test/*');
    await local.set('settings', withAppPath(withCustomOrigin(defaultSettings(), L), L, '/comfy/'));
    serve();
    const check = await uiHandlers['check-version']({ origin: L, path: '/comfy/' });
    expect(check).toMatchObject({ ok: true, fingerprint: { app: 'gradio', version: '5.1.0' } });
    expect(asked).toEqual(['/comfy/', '/comfy/config']);
    expect(Object.keys((await local.get('fingerprints')) ?? {})).toEqual([`${L}/comfy/`]);
  });

  it.each([['/other/'], ['/comfy'], ['../'], ['//evil.example/']])('refuses a path the settings do not declare (%s), asking nothing', async (path) => {
    world.granted.add('http://lab.test/*');
    await local.set('settings', withAppPath(withCustomOrigin(defaultSettings(), L), L, '/comfy/'));
    serve();
    expect(await uiHandlers['check-version']({ origin: L, path })).toEqual({ ok: false, error: 'unreachable' });
    expect(asked).toEqual([]);
  });
});

describe('stored versions', () => {
  it(`keep the ${MAX_FINGERPRINTS} most recently checked sites, not every site ever seen`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (let i = 0; i < MAX_FINGERPRINTS + 5; i++) {
        vi.setSystemTime(1_800_000_000_000 + i * 1000);
        await storeFingerprint(`http://gpu-${i}.lab:7860`, { id: `f${i}`, app: 'gradio', version: '5.0.0', assetCount: 1 });
      }
    } finally {
      vi.useRealTimers();
    }
    const kept = Object.keys((await local.get('fingerprints')) ?? {});
    expect(kept).toHaveLength(MAX_FINGERPRINTS);
    expect(kept).not.toContain('http://gpu-0.lab:7860');
    expect(kept).toContain(`http://gpu-${MAX_FINGERPRINTS + 4}.lab:7860`);
  });
});
