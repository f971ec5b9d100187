// @vitest-environment happy-dom
/**
 * The marker reader on real documents (happy-dom): what leaves a page read for
 * an offer, and what a page's own text cannot pretend to be.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { detectApp, detectAppByStructure, inlineVersion } from '../core/fingerprint';
import { readAppMarkers } from './app-markers';

function page(html: string, title = ''): void {
  document.documentElement.innerHTML = `<head><title></title></head><body>${html}</body>`;
  document.title = title;
}

/** Inline scripts are parsed as text, not run, by innerHTML: set them as the server would serve them. */
function inlineScript(text: string): void {
  const s = document.createElement('script');
  s.textContent = text;
  document.body.append(s);
}

afterEach(() => {
  document.documentElement.innerHTML = '';
});

describe('readAppMarkers', () => {
  it('a Gradio page read for an offer: the tool is known, its config text stays in the page', async () => {
    page('<gradio-app></gradio-app>', 'Whisper');
    inlineScript('window.gradio_config = {"version":"5.1.0","app_id":"secret-app-id"};');
    const forOffer = readAppMarkers(false);
    expect(detectApp(forOffer)).toBe('gradio');
    expect(detectAppByStructure(forOffer)).toBe('gradio');
    expect(forOffer).not.toContain('secret-app-id');
    expect(forOffer).not.toContain('5.1.0');
    // The page report reads the version from the same config.
    expect(inlineVersion(readAppMarkers(true))).toBe('5.1.0');
  });

  it("Jupyter's config (with its token) is named, never copied, for an offer", () => {
    page('<script id="jupyter-config-data" type="application/json">{"appVersion":"4.2.0","token":"abc123secret"}</script>', 'Home - JupyterLab');
    const forOffer = readAppMarkers(false);
    expect(detectAppByStructure(forOffer)).toBe('jupyter');
    expect(forOffer).not.toContain('abc123secret');
  });

  it('a title cannot close itself and pose as structure, nor plant a version before the real config', () => {
    page('', 'x</title><gradio-app>');
    expect(detectApp(readAppMarkers(false))).toBeNull();
    for (const title of ['KoboldAI Lite LITEVER = 1', 'window.gradio_config', 'id=comfy-user-selection jupyter-config-data']) {
      page('<p>docs</p>', title);
      expect(detectAppByStructure(readAppMarkers(false)), title).toBeNull();
    }
    page('<gradio-app></gradio-app>', 'window.gradio_config = {"version":"6.6.6"}');
    inlineScript('window.gradio_config = {"version":"5.1.0"};');
    expect(inlineVersion(readAppMarkers(true))).toBe('5.1.0');
  });

  it('for an offer, inline scripts are read up to 1 MB in all; the page report reads them all', () => {
    page('', 'app');
    for (let i = 0; i < 6; i++) inlineScript(`var filler${i} = "${'x'.repeat(199_000)}";`);
    inlineScript('window.gradio_config = {"version":"5.1.0"};');
    expect(detectApp(readAppMarkers(false))).toBeNull();
    expect(detectApp(readAppMarkers(true))).toBe('gradio');
  });

  it('whatever the title, a page without a tool structure is never one for the internet, and reading never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (title) => {
        page('<p>hello</p>', title);
        const markers = readAppMarkers(false);
        expect(detectAppByStructure(markers)).toBeNull();
        expect(markers.length).toBeLessThan(2_000);
      }),
      { numRuns: 300 },
    );
  });
});
