import { describe, expect, it } from 'vitest';
import { buildRules, headersFor, isProtected, knownPortOrigins } from './dnr-rules';
import { KNOWN_PORTS } from './known-tools';
import { defaultSettings, type Settings } from './settings';

const none = new Set<string>();
const filters = (settings: Settings, granted = none) => buildRules(settings, granted).map((r) => r.condition.urlFilter);

describe('buildRules', () => {
  it('protects the known ports of the three loopback origins by default, with dense ids', () => {
    const rules = buildRules(defaultSettings(), none);
    expect(rules).toHaveLength(3 * KNOWN_PORTS.length);
    expect(rules.map((r) => r.id)).toEqual(rules.map((_, i) => i + 1));
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
    const rules = buildRules(settings, none);
    expect(rules).toHaveLength(3);
    expect(rules[0]).toMatchObject({ priority: 1, condition: { requestDomains: ['localhost', '127.0.0.1', '[::1]'] } });
    const paused = rules.find((r) => r.condition.urlFilter === '|http://localhost:4000/')!;
    expect(paused).toMatchObject({ priority: 3, action: { type: 'allow' } });
    const bypass = rules.find((r) => r.condition.urlFilter === '|http://localhost:5173/')!;
    expect(bypass).toMatchObject({ priority: 2, action: headersFor('bypass') });
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
