import { describe, expect, it } from 'vitest';
import { HASHED_ASSET_REGEXES, buildRules, enforcedMode, headersFor, isProtected, knownPortOrigins } from './dnr-rules';
import { KNOWN_PORTS } from './known-tools';
import { defaultSettings, type Settings } from './settings';

const none = new Set<string>();
const headerRules = (settings: Settings, granted = none) => buildRules(settings, granted).filter((r) => !r.condition.regexFilter);
const filters = (settings: Settings, granted = none) => headerRules(settings, granted).map((r) => r.condition.urlFilter);

describe('buildRules', () => {
  it('protects the known ports of the three loopback origins by default, with dense ids', () => {
    expect(buildRules(defaultSettings(), none).map((r) => r.id)).toEqual(buildRules(defaultSettings(), none).map((_, i) => i + 1));
    const rules = headerRules(defaultSettings());
    expect(rules).toHaveLength(3 * KNOWN_PORTS.length);
    expect(filters(defaultSettings())).toContain('|http://localhost:7860/');
    expect(filters(defaultSettings())).toContain('|http://127.0.0.1:8188/');
    expect(filters(defaultSettings())).toContain('|http://[::1]:8501/');
    for (const rule of rules) {
      expect(rule.condition.resourceTypes).toContain('main_frame');
      expect(rule.condition.resourceTypes).toContain('sub_frame');
      expect(rule.action).toEqual({ type: 'modifyHeaders', ...headersFor('revalidate') });
    }
  });

  it('matches exactly one port: the trailing slash stops :78600', () => {
    expect(filters(defaultSettings()).every((f) => f!.endsWith('/'))).toBe(true);
  });

  it('adds a user origin only once its host permission is granted', () => {
    const settings: Settings = { ...defaultSettings(), customOrigins: ['http://192.168.1.20:7860'] };
    expect(filters(settings)).not.toContain('|http://192.168.1.20:7860/');
    expect(filters(settings, new Set(['http://192.168.1.20:7860']))).toContain('|http://192.168.1.20:7860/');
  });

  it('drops a paused origin and gives a bypass origin the bypass headers', () => {
    const settings: Settings = {
      ...defaultSettings(),
      sites: { 'http://localhost:7860': { protect: false }, 'http://localhost:8188': { mode: 'bypass' } },
    };
    const rules = buildRules(settings, none);
    expect(rules.map((r) => r.condition.urlFilter)).not.toContain('|http://localhost:7860/');
    const comfy = rules.find((r) => r.condition.urlFilter === '|http://localhost:8188/')!;
    expect(comfy.action).toEqual({ type: 'modifyHeaders', ...headersFor('bypass') });
    // Above the hashed-asset allow (4): "always download" means every file.
    expect(comfy.priority).toBe(5);
  });

  it('protects nothing when both loopback switches are off and no origin is added', () => {
    expect(buildRules({ ...defaultSettings(), protectKnownPorts: false }, none)).toEqual([]);
  });

  it('"all loopback ports" uses one domain rule, overrides above it and allow rules for paused sites', () => {
    const settings: Settings = {
      ...defaultSettings(),
      allLoopbackPorts: true,
      sites: { 'http://localhost:4000': { protect: false }, 'http://localhost:5173': { mode: 'bypass' } },
    };
    const rules = headerRules(settings);
    expect(rules).toHaveLength(3);
    expect(rules[0]).toMatchObject({ priority: 1, condition: { requestDomains: ['localhost', '127.0.0.1', '[::1]'] } });
    const paused = rules.find((r) => r.condition.urlFilter === '|http://localhost:4000/')!;
    expect(paused).toMatchObject({ priority: 3, action: { type: 'allow' } });
    const bypass = rules.find((r) => r.condition.urlFilter === '|http://localhost:5173/')!;
    expect(bypass).toMatchObject({ priority: 5, action: headersFor('bypass') });
  });
});

describe('headersFor', () => {
  it('revalidates through the request header, which is what Chromium obeys', () => {
    expect(headersFor('revalidate').requestHeaders).toEqual([{ header: 'cache-control', operation: 'set', value: 'max-age=0' }]);
    expect(headersFor('revalidate').responseHeaders).toContainEqual({ header: 'cache-control', operation: 'set', value: 'no-cache' });
    expect(headersFor('revalidate').responseHeaders).toContainEqual({ header: 'expires', operation: 'remove' });
  });

  it('bypass sends no-cache and pragma and stores nothing', () => {
    expect(headersFor('bypass').requestHeaders.map((h) => h.header)).toEqual(['cache-control', 'pragma']);
    expect(headersFor('bypass').responseHeaders).toContainEqual({ header: 'cache-control', operation: 'set', value: 'no-store' });
  });
});

describe('isProtected', () => {
  it('follows the known ports, user origins, pauses and the loopback switch', () => {
    const s = defaultSettings();
    expect(isProtected(s, 'http://localhost:7860', none)).toBe(true);
    expect(isProtected(s, 'http://localhost:4000', none)).toBe(false);
    expect(isProtected({ ...s, allLoopbackPorts: true }, 'http://localhost:4000', none)).toBe(true);
    expect(isProtected({ ...s, sites: { 'http://localhost:7860': { protect: false } } }, 'http://localhost:7860', none)).toBe(false);
    expect(isProtected({ ...s, customOrigins: ['http://gpu-box.local:8188'] }, 'http://gpu-box.local:8188', none)).toBe(false);
    expect(isProtected({ ...s, customOrigins: ['http://gpu-box.local:8188'] }, 'http://gpu-box.local:8188', new Set(['http://gpu-box.local:8188']))).toBe(true);
  });

  it('knows every default port on every loopback host', () => {
    expect(knownPortOrigins()).toHaveLength(3 * KNOWN_PORTS.length);
  });
});

describe('hashed assets', () => {
  const hashed = (url: string) => HASHED_ASSET_REGEXES.some((re) => new RegExp(re).test(url));

  it.each([
    'http://localhost:7860/assets/index-3f2a9c01.js',
    'http://localhost:7860/assets/index-Bk4y1XZq.css',
    'http://localhost:8501/static/js/main.2a3b4c5d.js',
    'http://localhost:8188/assets/chunk-5XTU2QTH.mjs',
    'http://localhost:3000/_next/static/chunks/app-4c9d1e0a7b3f2e18.js',
    'http://localhost:7860/assets/index-3f2a9c01.js?v=1',
  ])('%s is served from cache without revalidation', (url) => expect(hashed(url)).toBe(true));

  it.each([
    'http://localhost:7860/plugins/plugin.js',
    'http://localhost:8188/extensions/core/widgetInputs.js',
    'http://localhost:8188/vendor-polyfills.js',
    'http://localhost:8188/app-v2.js',
    'http://localhost:8188/scripts/app.js?v=0.3.40',
    'http://localhost:7860/assets/index-3f2a9c01.json',
    'http://localhost:7860/assets/index-3f2a9c01/evil.js',
    'http://localhost:7860/file=/tmp/gradio/4f2a9c01d/x.png',
  ])('%s is still revalidated', (url) => expect(hashed(url)).toBe(false));

  it('are only allowed on hosts that are protected', () => {
    const rules = buildRules({ ...defaultSettings(), customOrigins: ['http://gpu-box.local:8188'] }, new Set(['http://gpu-box.local:8188']));
    const allows = rules.filter((r) => r.condition.regexFilter);
    expect(allows).toHaveLength(HASHED_ASSET_REGEXES.length);
    for (const rule of allows) {
      expect(rule.action).toEqual({ type: 'allow' });
      expect(rule.condition.requestDomains).toEqual(['127.0.0.1', '[::1]', 'gpu-box.local', 'localhost']);
      expect(rule.condition.resourceTypes).toEqual(['script', 'stylesheet']);
    }
    expect(buildRules({ ...defaultSettings(), protectKnownPorts: false }, none)).toEqual([]);
  });
});

describe('found origins', () => {
  it('a recognised tool on an unusual port gets its rule while automatic protection is on', () => {
    const settings: Settings = { ...defaultSettings(), foundOrigins: ['http://127.0.0.1:9000'] };
    expect(filters(settings)).toContain('|http://127.0.0.1:9000/');
    expect(isProtected(settings, 'http://127.0.0.1:9000', none)).toBe(true);
    expect(filters({ ...settings, autoProtect: false })).not.toContain('|http://127.0.0.1:9000/');
    const paused: Settings = { ...settings, sites: { 'http://127.0.0.1:9000': { protect: false } } };
    expect(isProtected(paused, 'http://127.0.0.1:9000', none)).toBe(false);
  });
});

describe('apps under a path', () => {
  const O = 'http://lab.test:8080';
  const granted = new Set([O]);
  const settings: Settings = { ...defaultSettings(), customOrigins: [O], appPaths: { [O]: ['/comfy/', '/other/'] } };

  it('gives each declared app its own rule, and the rest of the origin none', () => {
    const filters = buildRules(settings, granted).map((r) => r.condition.urlFilter).filter(Boolean);
    expect(filters).toEqual(expect.arrayContaining([`|${O}/comfy/`, `|${O}/other/`]));
    expect(filters).not.toContain(`|${O}/`);
    const rules = buildRules(settings, granted);
    expect(rules.find((r) => r.condition.urlFilter === `|${O}/comfy/`)?.condition.isUrlFilterCaseSensitive).toBe(true);
    expect(enforcedMode(rules, O, '/comfy/')).toBe('revalidate');
    expect(enforcedMode(rules, O)).toBeNull();
    // What the popup says matches: a page of an app is protected, a page outside every app is not.
    expect(isProtected(settings, O, granted, `${O}/comfy/x`)).toBe(true);
    expect(isProtected(settings, O, granted, `${O}/`)).toBe(false);
    expect(isProtected(settings, O, granted)).toBe(true);
  });

  it('a path on a loopback origin that every-port protection covers adds nothing', () => {
    const L = 'http://localhost:4321';
    const s: Settings = { ...defaultSettings(), allLoopbackPorts: true, customOrigins: [L], appPaths: { [L]: ['/comfy/'] }, sites: { [L]: { mode: 'bypass' } } };
    const rules = buildRules(s, new Set([L]));
    expect(rules.map((r) => r.condition.urlFilter)).toContain(`|${L}/`);
    expect(enforcedMode(rules, L, '/comfy/')).toBe('bypass');
  });
});

describe('enforcedMode (what the installed rules do, as the browser reports them)', () => {
  it('reads per-origin rules, the all-loopback rule, paused allow rules and bypass', () => {
    const settings: Settings = { ...defaultSettings(), allLoopbackPorts: true, sites: { 'http://localhost:4000': { protect: false }, 'http://localhost:5173': { mode: 'bypass' } } };
    const rules = buildRules(settings, none);
    expect(enforcedMode(rules, 'http://localhost:7860')).toBe('revalidate');
    expect(enforcedMode(rules, 'http://localhost:4321')).toBe('revalidate');
    expect(enforcedMode(rules, 'http://localhost:4000')).toBeNull();
    expect(enforcedMode(rules, 'http://localhost:5173')).toBe('bypass');
    expect(enforcedMode(rules, 'http://192.168.1.20:7860')).toBeNull();
  });

  it('reads rules in Firefox\'s shape too, where absent fields are null', () => {
    const settings: Settings = { ...defaultSettings(), allLoopbackPorts: true };
    const firefoxShaped = buildRules(settings, none).map((r) => ({ ...r, condition: { urlFilter: null, regexFilter: null, requestDomains: null, ...r.condition } }));
    expect(enforcedMode(firefoxShaped as never, 'http://localhost:4321')).toBe('revalidate');
  });
});
