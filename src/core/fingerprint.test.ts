import { describe, expect, it } from 'vitest';
import { computeFingerprint, describeFingerprint, detectApp, looksLikeHtml, VERSION_SIGNALS } from './fingerprint';
import { extractAssetUrls } from './staleness';

/** Shapes of real front ends, trimmed. */
const VITE_APP = (hash: string) => `<!doctype html>
<html lang="en"><head>
  <meta charset="UTF-8" /><title>llama.cpp - chat</title>
  <script type="module" crossorigin src="/assets/index-${hash}.js"></script>
  <link rel="modulepreload" crossorigin href="/assets/vendor-${hash}.js">
  <link rel="stylesheet" crossorigin href="/assets/index-${hash}.css">
  <link rel="icon" href="/favicon.ico">
</head><body><div id="root"></div></body></html>`;

const COMFY = (v: string) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>ComfyUI</title>
<link rel='stylesheet' href='./style.css?v=${v}' />
<script type=module src=./scripts/app.js?v=${v}></script>
<!-- <script src="/old/removed.js"></script> -->
<link rel="preload" as="font" href="/fonts/inter.woff2">
</head><body class="litegraph"></body></html>`;

const GRADIO = (version: string, appId: number) => `<!doctype html><html><head>
<script>window.gradio_config = {"version":"${version}","app_id":${appId},"components":[]};</script>
<script type="module" crossorigin src="https://gradio.s3-us-west-2.amazonaws.com/${version}/gradio.js"></script>
<link rel="stylesheet" href="./assets/index-3f2a9c01.css">
</head><body><gradio-app></gradio-app></body></html>`;

describe('extractAssetUrls', () => {
  it('lists scripts, stylesheets and module preloads, sorted and absolute, ignoring icons', () => {
    expect(extractAssetUrls(VITE_APP('a1b2c3'), 'http://localhost:8080/')).toEqual([
      'http://localhost:8080/assets/index-a1b2c3.css',
      'http://localhost:8080/assets/index-a1b2c3.js',
      'http://localhost:8080/assets/vendor-a1b2c3.js',
    ]);
  });

  it('keeps ?v= queries, reads unquoted and single-quoted attributes, skips comments and font preloads', () => {
    expect(extractAssetUrls(COMFY('0.3.40'), 'http://127.0.0.1:8188/')).toEqual([
      'http://127.0.0.1:8188/scripts/app.js?v=0.3.40',
      'http://127.0.0.1:8188/style.css?v=0.3.40',
    ]);
  });

  it('decodes entities in attribute values', () => {
    expect(extractAssetUrls('<script src="/a.js?x=1&amp;y=2"></script>', 'http://h:1/')).toEqual(['http://h:1/a.js?x=1&y=2']);
  });

  it('ignores inline scripts and references that cannot be parsed', () => {
    expect(extractAssetUrls('<script>var a=1</script><script src="http://[bad"></script>', 'http://h:1/')).toEqual([]);
  });
});

describe('computeFingerprint', () => {
  const fp = (html: string, version: string | null = null) =>
    computeFingerprint({ assets: extractAssetUrls(html, 'http://localhost:7860/'), app: detectApp(html), version });

  it('changes when a hashed bundle changes, and only then', () => {
    expect(fp(VITE_APP('a1b2c3')).id).toBe(fp(VITE_APP('a1b2c3')).id);
    expect(fp(VITE_APP('a1b2c3')).id).not.toBe(fp(VITE_APP('d4e5f6')).id);
  });

  it('changes when a ?v= query changes', () => {
    expect(fp(COMFY('0.3.40')).id).not.toBe(fp(COMFY('0.3.41')).id);
  });

  it('is the same for a Gradio app relaunched with a new app_id, different for a new version', () => {
    const first = fp(GRADIO('5.9.1', 111), '5.9.1');
    expect(fp(GRADIO('5.9.1', 222), '5.9.1').id).toBe(first.id);
    expect(fp(GRADIO('5.10.0', 333), '5.10.0').id).not.toBe(first.id);
  });

  it('changes when only the reported version changes (unhashed assets, same URLs)', () => {
    const html = '<title>ComfyUI</title><script src="/scripts/app.js"></script>';
    expect(fp(html, '0.3.40').id).not.toBe(fp(html, '0.3.41').id);
  });
});

describe('detectApp and version signals', () => {
  it.each([
    [GRADIO('5.9.1', 1), 'gradio'],
    [COMFY('1'), 'comfyui'],
    ['<title>Open WebUI</title>', 'open-webui'],
    ['<script id="jupyter-config-data" type="application/json">{}</script>', 'jupyter'],
    ['<title>Invoke - Community Edition</title>', 'invokeai'],
    ['<title>SillyTavern</title>', 'sillytavern'],
    ['<title>KoboldAI Lite</title>', 'koboldcpp'],
    [VITE_APP('x'), 'llama.cpp'],
    ['<title>Streamlit</title>', 'streamlit'],
    ['<title>Flowise - Build AI Agents, Visually</title>', 'flowise'],
    ['<title>My app</title>', null],
  ])('detects %#', (html, kind) => {
    expect(detectApp(html)).toBe(kind);
  });

  it('picks the version and never the per-launch app_id from Gradio /config', () => {
    expect(VERSION_SIGNALS.gradio!.pick({ version: '5.9.1', app_id: 123 })).toBe('5.9.1');
    expect(VERSION_SIGNALS.comfyui!.pick({ system: { comfyui_version: '0.3.40' } })).toBe('0.3.40');
    expect(VERSION_SIGNALS.comfyui!.pick('garbage')).toBeUndefined();
  });
});

describe('looksLikeHtml', () => {
  it('accepts HTML and refuses JSON, images and empty bodies', () => {
    expect(looksLikeHtml('text/html; charset=utf-8', VITE_APP('a'))).toBe(true);
    expect(looksLikeHtml(null, '<!doctype html><html>')).toBe(true);
    expect(looksLikeHtml('application/json', '{"detail":"Not Found"}')).toBe(false);
    expect(looksLikeHtml('text/html', 'Internal Server Error')).toBe(false);
    expect(looksLikeHtml('image/png', '\x89PNG')).toBe(false);
  });
});

describe('describeFingerprint', () => {
  it('names the app and version, or a short build id', () => {
    expect(describeFingerprint({ app: 'gradio', version: '5.9.1', id: 'abcdef12' })).toEqual({ app: 'Gradio', version: '5.9.1' });
    expect(describeFingerprint({ app: null, version: null, id: '3f2a9c01' })).toEqual({ app: null, version: 'build 3f2a9c01' });
  });
});
