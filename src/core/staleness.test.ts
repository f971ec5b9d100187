import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectApp, inlineVersion, isVersionedUrl } from './fingerprint';
import { MAX_REPORTED_ASSETS, codeFilesToSize, documentKey, extractAssetUrls, judge, judgeBySize, parsePageReport, viewId, viewOfHtml, type PageReport, type ServerView } from './staleness';

/**
 * The root HTML of each known tool, in the shape its server sends it (synthetic
 * but structurally faithful: where the code URLs sit, and where the per-launch
 * and per-request values sit). `v` is the tool's build; `launch` changes on every
 * start of the same build, `request` on every response.
 */
type Shape = (v: number, launch: number, request: number) => string;

const SHAPES: Record<string, { url: string; html: Shape }> = {
  // Gradio 5/6: no <title> in the HTML; the inline config carries version (first) and app_id (random per launch).
  gradio: {
    url: 'http://127.0.0.1:7860/',
    html: (v, launch) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta property="og:title" content="Whisper demo">
<script data-gradio-mode>window.__gradio_mode__ = "app";</script>
<script>window.gradio_config = {"version":"5.${v}.0","api_prefix":"/gradio_api","mode":"blocks","app_id":${launch}123456789,"components":[{"id":1,"props":{"value":"<p>version: 2</p>"}}]};</script>
<script>window.gradio_api_info = {"named_endpoints":{}};</script>
<script type="module" crossorigin src="./assets/index-${v}f3a9c01.js"></script>
<link rel="stylesheet" crossorigin href="./assets/index-${v}b7d2e44.css">
</head><body><gradio-app></gradio-app></body></html>`,
  },
  // AUTOMATIC1111 (Gradio 3.41): every script gets ?<file mtime>, which changes when the file does, not per launch.
  a1111: {
    url: 'http://127.0.0.1:7860/',
    html: (v, launch) => `<!doctype html><html><head>
<script>window.gradio_config = {"version":"3.41.2","mode":"blocks","app_id":${launch}9876,"title":"Stable Diffusion","components":[{"props":{"value":"version: <a href=\\"/commit/${v}\\">v1.${v}.0</a>"}}]};</script>
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Source+Sans+Pro">
<script type="module" crossorigin src="./assets/index-a1b2c3d4.js"></script>
<script type="text/javascript">localization = {};</script>
<script type="text/javascript" src="file=/sd/script.js?17000${v}0000"></script>
<script type="module" src="file=/sd/extensions/tagcomplete/javascript/tag.js?17000${v}1111"></script>
</head><body><gradio-app></gradio-app>
<link rel="stylesheet" property="stylesheet" href="file=/sd/style.css?17000${v}2222"></body></html>`,
  },
  // ComfyUI front end: hashed Vite entry plus unhashed user.css, an import map, nothing per launch.
  comfyui: {
    url: 'http://127.0.0.1:8188/',
    html: (v) => `<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>ComfyUI</title>
<link rel="stylesheet" type="text/css" href="user.css">
<link rel="stylesheet" type="text/css" href="materialdesignicons.min.css">
<script type="importmap">{"imports":{"vue":"./assets/vue-${v}c9d8e7f.js"}}</script>
<script type="module" crossorigin src="./assets/index-${v}Dx7kQ2a.js"></script>
<link rel="modulepreload" crossorigin href="./assets/vendor-primevue-${v}8a7b6c5.js">
<link rel="stylesheet" crossorigin href="./assets/index-${v}Ck91mZq.css">
</head><body class="litegraph grid"><div id="vue-app"></div><div id="comfy-user-selection"></div></body></html>`,
  },
  // Open WebUI (SvelteKit, adapter-static): immutable hashed chunks, unhashed loader.js; a static file.
  'open-webui': {
    url: 'http://localhost:3000/',
    html: (v) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="robots" content="noindex,nofollow"><title>Open WebUI</title>
<script src="/static/loader.js" defer></script>
<link rel="stylesheet" href="/static/custom.css">
<link rel="modulepreload" href="/_app/immutable/entry/start.${v}Bx93kQa.js">
<link rel="modulepreload" href="/_app/immutable/chunks/entry.${v}Cq0pLm2.js">
<link rel="modulepreload" href="/_app/immutable/entry/app.${v}Dk2mNz8.js">
</head><body data-sveltekit-preload-data="hover"><div id="splash-screen"></div>
<script>{ __sveltekit_1x2y3z = { base: "" }; Promise.all([import("/_app/immutable/entry/start.${v}Bx93kQa.js")]) }</script>
</body></html>`,
  },
  // JupyterLab: main.<contenthash>.js; the config holds a per-launch token and a per-request store id.
  jupyter: {
    url: 'http://localhost:8888/lab',
    html: (v, launch, request) => `<!doctype html><html><head><meta charset="utf-8"><title>JupyterLab</title>
<script id="jupyter-config-data" type="application/json">{"appName":"JupyterLab","appVersion":"4.${v}.0","token":"tok${launch}abcdef","store_id":${request},"baseUrl":"/","notebookVersion":"[2, 14, ${v}]"}</script>
<script defer src="/static/lab/main.${v}9e1f0a2b3c4d5e6f.js?v=${v}9e1f0a2b3c4d5e6f"></script>
</head><body class="jp-ThemedContainer"></body></html>`,
  },
  streamlit: {
    url: 'http://localhost:8501/',
    html: (v) => `<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>Streamlit</title>
<script>window.prerenderReady = false</script>
<script type="module" crossorigin src="./static/js/index.${v}C0ae1b2.js"></script>
<link rel="stylesheet" crossorigin href="./static/css/index.${v}Bq2w3e4.css">
</head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>`,
  },
  flowise: {
    url: 'http://localhost:3000/',
    html: (v) => `<!doctype html><html lang="en"><head><title>Flowise - Build AI Agents, Visually</title>
<link rel="preconnect" href="https://fonts.gstatic.com">
<link href="https://fonts.googleapis.com/css2?family=Inter:wght@400;500&display=swap" rel="stylesheet">
<script async src="https://r.wdfl.co/rw.js"></script>
<script type="module" crossorigin src="/assets/index-${v}Iqxr1vN.js"></script>
<link rel="stylesheet" crossorigin href="/assets/index-${v}E1t6d1G.css">
</head><body><div id="root"></div><div id="portal"></div></body></html>`,
  },
  invokeai: {
    url: 'http://127.0.0.1:9090/',
    html: (v) => `<!doctype html><html lang="en"><head><meta http-equiv="Cache-Control" content="no-cache">
<title>Invoke - Community Edition</title><link id="invoke-favicon" rel="icon" href="./favicon.ico">
<script type="module" crossorigin src="./assets/index-${v}Hq8x2Zc.js"></script>
<link rel="stylesheet" crossorigin href="./assets/index-${v}Gh3k9Lp.css">
</head><body><div id="root"></div></body></html>`,
  },
};

/** What the page's DOM shows after load: the served tags, plus what the app injected at run time. */
function livePage(html: string, url: string, injected: string[] = []): Pick<PageReport, 'assets' | 'version'> {
  return { assets: [...extractAssetUrls(html, url), ...injected.map((p) => new URL(p, url).href)], version: inlineVersion(html) };
}

describe.each(Object.entries(SHAPES))('%s', (name, { url, html }) => {
  const served = (v: number, launch = 1, request = 1) => viewOfHtml(html(v, launch, request), url);

  it('a page of the served build is up to date, also after a relaunch and on every request', () => {
    expect(judge(livePage(html(1, 1, 1), url), served(1, 2, 7))).toEqual({ state: 'fresh' });
  });

  it('a page of the previous build runs old code', () => {
    expect(judge(livePage(html(1, 1, 1), url), served(2, 1, 1))).toMatchObject({ state: 'stale' });
  });

  it('scripts and styles the app adds at run time do not read as old', () => {
    const live = livePage(html(1, 1, 1), url, ['/assets/lazy-9a8b7c6d.js', '/theme.css?v=4e5f6a7b', '/extensions/core/widgets.js']);
    expect(judge(live, served(1, 2, 3))).toEqual({ state: 'fresh' });
  });

  it('is recognised as a known tool', () => {
    expect(detectApp(html(1, 1, 1))).toBe(name === 'a1111' ? 'gradio' : name);
  });
});

describe('what the HTML says of its version', () => {
  it('reads Gradio\'s version, never its app_id; Jupyter\'s appVersion, never its token', () => {
    expect(inlineVersion(SHAPES.gradio!.html(3, 99, 1))).toBe('5.3.0');
    expect(inlineVersion(SHAPES.jupyter!.html(2, 5, 6))).toBe('4.2.0');
    expect(inlineVersion('<script>const LITEVER = 180;</script>')).toBe('180');
    expect(inlineVersion(SHAPES.comfyui!.html(1, 1, 1))).toBeNull();
  });

  it('a Gradio page on another Gradio version runs old code even if it loads the same files', () => {
    const page = { assets: ['http://h:1/assets/index-aaaaaaa1.js'], version: '5.1.0' };
    expect(judge(page, { ok: true, assets: page.assets, app: 'gradio', version: '5.2.0', bytes: null, codeBytes: [] })).toEqual({ state: 'stale', missing: 0, from: '5.1.0', to: '5.2.0' });
  });
});

describe("can't tell", () => {
  it('SillyTavern and llama.cpp load unversioned files: equal names prove nothing', () => {
    const tavern = `<!doctype html><html><head><title>SillyTavern</title>
<link rel="stylesheet" href="css/st-tailwind.css"><script src="lib.js"></script><script type="module" src="script.js"></script></head><body><div id="sheld"></div></body></html>`;
    const view = viewOfHtml(tavern, 'http://127.0.0.1:8000/');
    expect(judge(livePage(tavern, 'http://127.0.0.1:8000/'), view)).toEqual({ state: 'unknown', reason: 'unversioned' });
    const llama = '<!doctype html><html><head><script type="module" src="./bundle.js"></script><link rel="stylesheet" href="./bundle.css"></head><body></body></html>';
    expect(judge(livePage(llama, 'http://127.0.0.1:8080/'), viewOfHtml(llama, 'http://127.0.0.1:8080/'))).toEqual({ state: 'unknown', reason: 'unversioned' });
  });

  it('KoboldCpp is one inline file: its LITEVER decides', () => {
    const lite = (n: number) => `<!doctype html><html><head><title>KoboldAI Lite</title><script>const LITEVER = ${n}; /* … */</script></head><body></body></html>`;
    const url = 'http://localhost:5001/';
    expect(judge(livePage(lite(180), url), viewOfHtml(lite(180), url))).toEqual({ state: 'fresh' });
    expect(judge(livePage(lite(180), url), viewOfHtml(lite(181), url))).toMatchObject({ state: 'stale', from: '180', to: '181' });
    const bare = '<!doctype html><html><head><title>x</title></head><body></body></html>';
    expect(judge(livePage(bare, url), viewOfHtml(bare, url))).toEqual({ state: 'unknown', reason: 'no-code-urls' });
  });

  it('passes a server that could not be asked straight through', () => {
    expect(judge({ assets: [], version: null }, { ok: false, reason: 'redirect' })).toEqual({ state: 'unknown', reason: 'redirect' });
  });
});

describe('extractAssetUrls ignores what the parser never loads', () => {
  it('tags written inside inline scripts, <noscript>, <template> and comments', () => {
    const html = `<script>document.write('<script src="/written.js"><\\/script>'); var s = '<link rel="stylesheet" href="/in-string.css">';</script>
<noscript><link rel="stylesheet" href="/noscript.css"></noscript><template><script src="/inert.js"></script></template>
<!-- <script src="/commented.js"></script> --><script src="/real-1a2b3c4d.js"></script>`;
    expect(extractAssetUrls(html, 'http://h:1/')).toEqual(['http://h:1/real-1a2b3c4d.js']);
  });
});

describe('isVersionedUrl', () => {
  it.each([
    ['http://h:1/assets/index-3f2a9c01.js', true],
    ['http://h:1/assets/index-BIqxrAvN.js', true],
    ['http://h:1/_app/immutable/entry/start.Bx93kQa1.js', true],
    ['http://h:1/static/lab/main.79b1.js?v=79b1e2', true],
    ['http://h:1/file=/sd/script.js?1700000000', true],
    ['http://h:1/script.js', false],
    ['http://h:1/lib/vendor-polyfills.js', false],
    ['http://h:1/app-v2.js', false],
  ])('%s → %s', (url, versioned) => {
    expect(isVersionedUrl(url)).toBe(versioned);
  });
});

describe('parsePageReport', () => {
  const ok = { assets: ['http://localhost:7860/a.js'], app: 'gradio', version: '5.1.0', navigation: 'back_forward', docId: '0b6f3c1e-2d4a-4f6b-9c1d-3e5f7a9b1c2d', loadedAt: 1_764_000_000_000,
    sizes: { document: 5120, code: [['http://localhost:7860/a.js', 10_240]] } };
  const isApp = (k: string) => k === 'gradio';
  it('accepts a well-formed report', () => {
    expect(parsePageReport(ok, isApp)).toEqual(ok);
  });
  it('accepts a large real app: 300 chunks of 100-character URLs', () => {
    const big = { ...ok, assets: Array.from({ length: 300 }, (_, i) => `http://localhost:7860/assets/${String(i).padStart(70, 'c')}-Dx8f2a1b.js`) };
    expect(parsePageReport(big, isApp)).toEqual(big);
  });
  it.each([
    ['no assets list', { ...ok, assets: 'x' }],
    ['a non-http asset', { ...ok, assets: ['javascript:alert(1)'] }],
    ['too many assets', { ...ok, assets: Array.from({ length: 3001 }, (_, i) => `http://h:1/${i}.js`) }],
    ['an over-long URL', { ...ok, assets: [`http://h:1/${'a'.repeat(4096)}.js`] }],
    ['3,000 long URLs (more than storage should hold per tab)', { ...ok, assets: Array.from({ length: 3000 }, (_, i) => `http://h:1/${i}${'a'.repeat(4000)}.js`) }],
    ['an unknown app', { ...ok, app: 'evil' }],
    ['a huge version', { ...ok, version: 'x'.repeat(81) }],
    ['an unknown navigation', { ...ok, navigation: 'teleport' }],
    ['no sizes', { ...ok, sizes: undefined }],
    ['a negative size', { ...ok, sizes: { document: -1, code: [] } }],
    ['a fractional size', { ...ok, sizes: { document: 1.5, code: [] } }],
    ['a sized file that is not a URL', { ...ok, sizes: { document: null, code: [['javascript:x', 10]] } }],
    ['a sized entry of the wrong shape', { ...ok, sizes: { document: null, code: [['http://h:1/a.js', 10, 'extra']] } }],
    ['too many sized files', { ...ok, sizes: { document: null, code: Array.from({ length: 65 }, (_, i) => [`http://h:1/${i}.js`, 1]) } }],
  ])('drops %s', (_, raw) => {
    expect(parsePageReport(raw, isApp)).toBeNull();
  });
});

describe('documentKey', () => {
  it('drops the fragment only', () => {
    expect(documentKey('http://localhost:8888/lab/tree/a.ipynb?x=1#cell-3')).toBe('http://localhost:8888/lab/tree/a.ipynb?x=1');
  });
});

describe('apps that name no build: judged by size', () => {
  const url = 'http://127.0.0.1:8000/';
  // SillyTavern's shape: an index.html and unhashed scripts and styles.
  const tavern = (build: number) => `<!doctype html><html><head><link rel="stylesheet" href="style.css"><script src="lib.js"></script><script type="module" src="script.js"></script></head><body>build ${build}</body></html>`;
  const server = (build: number, sizes: Record<string, number>): ServerView => {
    const html = tavern(build);
    const view = viewOfHtml(html, url, new TextEncoder().encode(html).length);
    if (!view.ok) throw new Error('not html');
    return { ...view, codeBytes: codeFilesToSize(view, url).map((u) => [u, sizes[u.slice(url.length)] ?? 1]) };
  };
  const page = (build: number, sizes: Record<string, number>) => {
    const html = tavern(build);
    return { version: null, sizes: { document: new TextEncoder().encode(html).length, code: Object.entries(sizes).map(([f, n]): [string, number] => [url + f, n]) } };
  };
  const v1 = { 'style.css': 900, 'lib.js': 40_000, 'script.js': 310_000 };
  const v2 = { ...v1, 'script.js': 312_480 };
  const canNotTell = { state: 'unknown', reason: 'unversioned' } as const;

  it('unchanged, and restarted with nothing changed: up to date', () => {
    expect(judgeBySize(page(1, v1), server(1, v1), canNotTell)).toEqual({ state: 'fresh' });
    expect(viewId(server(1, v1))).toBe(viewId(server(1, v1)));
  });

  it('a code file of another size: runs old code, counted; so does another document', () => {
    expect(judgeBySize(page(1, v1), server(1, v2), canNotTell)).toEqual({ state: 'stale', missing: 1, from: null, to: null });
    expect(judgeBySize(page(1, v1), server(22, v2), canNotTell)).toEqual({ state: 'stale', missing: 2, from: null, to: null });
    // A new build is a new answer: acted on once, confirmed afresh.
    expect(viewId(server(1, v2))).not.toBe(viewId(server(1, v1)));
  });

  it('without sizes from the page or the server, or a file not compared, it stays "can\'t tell"', () => {
    expect(judgeBySize({ version: null, sizes: { document: null, code: [] } }, server(1, v1), canNotTell)).toEqual(canNotTell);
    expect(judgeBySize(page(1, v1), { ...server(1, v1), bytes: null } as ServerView, canNotTell)).toEqual(canNotTell);
    expect(judgeBySize(page(1, { 'style.css': 900 }), server(1, v1), canNotTell)).toEqual(canNotTell);
    expect(judgeBySize(page(1, v1), { ...server(1, v1), codeBytes: [] } as ServerView, canNotTell)).toEqual(canNotTell);
  });

  it('never overrides a verdict reached by versions or by missing files', () => {
    const stale = { state: 'stale', missing: 2, from: null, to: null } as const;
    expect(judgeBySize(page(1, v1), server(1, v1), stale)).toEqual(stale);
    expect(judgeBySize(page(1, v1), server(1, v1), { state: 'fresh' })).toEqual({ state: 'fresh' });
    expect(judgeBySize(page(1, v1), server(1, v1), { state: 'unknown', reason: 'unreachable' })).toEqual({ state: 'unknown', reason: 'unreachable' });
  });

  it('llama.cpp\'s single page: the document alone decides', () => {
    const llama = (build: string) => `<!doctype html><html><head><script type="module">/* app ${build} */</script></head><body></body></html>`;
    const view = (build: string) => viewOfHtml(llama(build), 'http://127.0.0.1:8080/', llama(build).length);
    const loaded = (build: string) => ({ version: null, sizes: { document: llama(build).length, code: [] } });
    const none = { state: 'unknown', reason: 'no-code-urls' } as const;
    expect(judgeBySize(loaded('b5000'), view('b5000'), none)).toEqual({ state: 'fresh' });
    expect(judgeBySize(loaded('b5000'), view('b61234'), none)).toMatchObject({ state: 'stale' });
  });

  it('property: the same sizes on both sides are never old; any one size different always is', () => {
    const sizeMap = fc.record({ 'style.css': fc.integer({ min: 1, max: 1e7 }), 'lib.js': fc.integer({ min: 1, max: 1e7 }), 'script.js': fc.integer({ min: 1, max: 1e7 }) });
    fc.assert(
      fc.property(sizeMap, fc.constantFrom('style.css', 'lib.js', 'script.js'), fc.integer({ min: 1, max: 1e6 }), (sizes, file, delta) => {
        expect(judgeBySize(page(1, sizes), server(1, sizes), canNotTell)).toEqual({ state: 'fresh' });
        const changed = { ...sizes, [file]: sizes[file as keyof typeof sizes] + delta };
        expect(judgeBySize(page(1, sizes), server(1, changed), canNotTell)).toMatchObject({ state: 'stale', missing: 1 });
      }),
    );
  });
});

describe('a server page too large to compare', () => {
  const url = 'http://localhost:7860/';
  it('reads "can\'t tell" past the page report\'s bounds, and is compared up to them', () => {
    const page = (n: number, pad = 0) => `<!doctype html>${Array.from({ length: n }, (_, i) => `<script src="/assets/c${i}-${'x'.repeat(pad)}.js"></script>`).join('')}`;
    expect(viewOfHtml(page(MAX_REPORTED_ASSETS), url)).toMatchObject({ ok: true });
    expect(viewOfHtml(page(MAX_REPORTED_ASSETS + 1), url)).toEqual({ ok: false, reason: 'too-large' });
    // Few files, but long addresses: the characters count too.
    expect(viewOfHtml(page(100, 3000), url)).toEqual({ ok: false, reason: 'too-large' });
  });
});
