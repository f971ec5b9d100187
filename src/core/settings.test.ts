import { describe, expect, it } from 'vitest';
import { setProtected } from './protection';
import { MAX_APP_PATHS, isAppPath } from './app-path';
import { LIMITS, SETTINGS_VERSION, defaultSettings, loadSettings, siteOptions, withAppPath, withCustomOrigin, withFoundOrigin, withSiteOptions, withoutAppPath, withoutCustomOrigin, withoutFoundOrigin } from './settings';

describe('loadSettings', () => {
  it('gives the defaults when nothing is stored', () => {
    expect(loadSettings(undefined)).toEqual({ status: 'missing', settings: defaultSettings() });
  });

  it('accepts what it wrote', () => {
    const s = withSiteOptions(withCustomOrigin(defaultSettings(), 'http://gpu-box.local:8188'), 'http://gpu-box.local:8188', { autoClear: true });
    expect(loadSettings(JSON.parse(JSON.stringify(s)))).toEqual({ status: 'ok', settings: s, migrated: false });
  });

  it.each([
    ['a string', 'garbage'],
    ['an array', [1, 2]],
    ['a future version', { ...defaultSettings(), version: SETTINGS_VERSION + 1 }],
    ['a wrong type', { ...defaultSettings(), allLoopbackPorts: 'yes' }],
    ['an unknown mode', { ...defaultSettings(), defaults: { mode: 'turbo', autoClear: false } }],
    ['a non-canonical origin', { ...defaultSettings(), customOrigins: ['HTTP://X:80/'] }],
    ['a javascript: origin', { ...defaultSettings(), customOrigins: ['javascript:alert(1)'] }],
    ['an unknown key', { ...defaultSettings(), evil: true }],
    ['bad site options', { ...defaultSettings(), sites: { 'http://localhost:7860': { protect: 'no' } } }],
  ])('reads %s as salvaged: nothing invalid gets through', (_, stored) => {
    const result = loadSettings(stored);
    expect(result.status).toBe('salvaged');
    expect(result.settings).toEqual(defaultSettings());
    if (result.status === 'salvaged') expect(result.issue).not.toBe('');
  });

  it('salvages every valid part of damaged settings, and says what was damaged', () => {
    const stored = {
      ...defaultSettings(),
      allLoopbackPorts: 'yes',
      customOrigins: ['http://gpu-box.local:8188', 'javascript:alert(1)', 'http://gpu-box.local:8188'],
      sites: { 'http://gpu-box.local:8188': { mode: 'bypass' }, 'http://localhost:7860': { protect: 'no' }, 'not an origin': {} },
      defaults: { mode: 'turbo', autoClear: true },
    };
    const result = loadSettings(stored);
    expect(result).toMatchObject({ status: 'salvaged', kind: 'damaged' });
    expect(result.settings).toEqual({
      ...defaultSettings(),
      customOrigins: ['http://gpu-box.local:8188'],
      sites: { 'http://gpu-box.local:8188': { mode: 'bypass' } },
      defaults: { mode: 'revalidate', autoClear: true, keepSiteData: false },
    });
  });

  it('reads settings of a newer version as "newer", keeping what this version understands', () => {
    const result = loadSettings({ ...withCustomOrigin(defaultSettings(), 'http://a.local:1'), version: SETTINGS_VERSION + 1, futureThing: [1] });
    expect(result).toMatchObject({ status: 'salvaged', kind: 'newer', settings: { customOrigins: ['http://a.local:1'] } });
  });

  it('migrates v1 (origins list, autoClear list, global mode)', () => {
    const v1 = { version: 1, origins: ['http://gpu-box.local:8188'], autoClear: ['http://localhost:7860'], mode: 'bypass' };
    const result = loadSettings(v1);
    expect(result).toEqual({
      status: 'ok',
      migrated: true,
      settings: {
        ...defaultSettings(),
        customOrigins: ['http://gpu-box.local:8188'],
        defaults: { mode: 'bypass', autoClear: false, keepSiteData: false },
        sites: { 'http://localhost:7860': { autoClear: true } },
      },
    });
  });

  it('reports a v1 that migrates into something invalid as corrupt', () => {
    expect(loadSettings({ version: 1, origins: ['file:///x'] }).status).toBe('salvaged');
  });
});

describe('site options', () => {
  it('stores only what differs from the defaults', () => {
    const on = withSiteOptions(defaultSettings(), 'http://localhost:7860', { autoClear: true });
    expect(on.sites).toEqual({ 'http://localhost:7860': { autoClear: true } });
    const off = withSiteOptions(on, 'http://localhost:7860', { autoClear: false });
    expect(off.sites).toEqual({});
    expect(siteOptions(on, 'http://localhost:7860').autoClear).toBe(true);
    expect(siteOptions(on, 'http://localhost:8501').autoClear).toBe(false);
  });

  it('removing a user origin removes its options too', () => {
    const s = withSiteOptions(withCustomOrigin(defaultSettings(), 'http://a.local:1'), 'http://a.local:1', { mode: 'bypass' });
    expect(withoutCustomOrigin(s, 'http://a.local:1')).toEqual(defaultSettings());
  });

  it('adding an origin twice keeps one entry', () => {
    const s = withCustomOrigin(withCustomOrigin(defaultSettings(), 'http://a.local:1'), 'http://a.local:1');
    expect(s.customOrigins).toEqual(['http://a.local:1']);
  });
});

describe('setProtected', () => {
  it('pauses a known port without adding it as a user origin', () => {
    const s = setProtected(defaultSettings(), 'http://localhost:7860', false);
    expect(s.customOrigins).toEqual([]);
    expect(s.sites['http://localhost:7860']).toEqual({ protect: false });
    expect(setProtected(s, 'http://localhost:7860', true)).toEqual(defaultSettings());
  });

  it('adds an uncovered origin when turned on', () => {
    const s = setProtected(defaultSettings(), 'http://192.168.1.20:7860', true);
    expect(s.customOrigins).toEqual(['http://192.168.1.20:7860']);
  });
});

describe('v2 → v3: recognised tools', () => {
  it('migrates 0.1.0 settings, keeping everything, with automatic protection on', () => {
    const v2 = { version: 2, protectKnownPorts: false, allLoopbackPorts: true, customOrigins: ['http://gpu-box.local:8188'], defaults: { mode: 'bypass', autoClear: true }, sites: { 'http://localhost:7860': { keepSiteData: true } } };
    expect(loadSettings(v2)).toEqual({
      status: 'ok',
      migrated: true,
      settings: { ...v2, version: 4, autoProtect: true, foundOrigins: [], dismissedOrigins: [], undoCapMb: 500, defaults: { mode: 'bypass', autoClear: true, keepSiteData: false }, appPaths: {} },
    });
  });

  it('found origins must be loopback', () => {
    expect(loadSettings({ ...defaultSettings(), foundOrigins: ['http://192.168.1.20:7860'] })).toMatchObject({ status: 'salvaged', settings: { foundOrigins: [] } });
  });
});

describe('v3 → v4: apps under a path', () => {
  it('migrates 0.2 settings with no app paths, keeping everything else', () => {
    const v3 = { ...defaultSettings(), version: 3, customOrigins: ['http://lab.test:8080'], sites: { 'http://lab.test:8080': { autoClear: true } } } as Record<string, unknown>;
    delete v3.appPaths;
    expect(loadSettings(v3)).toEqual({ status: 'ok', migrated: true, settings: { ...v3, version: 4, appPaths: {} } });
  });

  const L = 'http://lab.test:8080';
  const many = Array.from({ length: MAX_APP_PATHS + 1 }, (_, i) => `/app${String(i).padStart(2, '0')}/`);
  it.each([
    ['a path without its last slash, read as the directory it names', { [L]: ['/comfy', '/other/'] }, ['/comfy/', '/other/']],
    ['a path twice, kept once', { [L]: ['/comfy/', '/comfy/'] }, ['/comfy/']],
    ['a wildcard and a dot segment beside a good path', { [L]: ['/co*/', '/../', '/comfy/'] }, ['/comfy/']],
    ['too many paths, the first ones kept', { [L]: many }, many.slice(0, MAX_APP_PATHS)],
  ])('salvages %s', (_, appPaths, expected) => {
    const result = loadSettings({ ...defaultSettings(), customOrigins: [L], appPaths });
    expect(result.status).toBe('salvaged');
    expect(result.settings.appPaths).toEqual({ [L]: expected });
    expect(result.settings.customOrigins).toEqual([L]);
    for (const p of result.settings.appPaths[L]!) expect(isAppPath(p)).toBe(true);
  });

  it('an empty list of apps is damage too: the origin is not kept as a whole site', () => {
    const result = loadSettings({ ...defaultSettings(), customOrigins: [L], appPaths: { [L]: [] } });
    expect(result).toMatchObject({ status: 'salvaged', settings: { customOrigins: [], appPaths: {} } });
  });

  it('an origin whose every app path is damaged is not kept as a whole site', () => {
    const result = loadSettings({ ...defaultSettings(), customOrigins: [L, 'http://nas.lan:8188'], appPaths: { [L]: ['/', 42, '/co*/'], 'http://x/y': ['/comfy/'] } });
    expect(result.status).toBe('salvaged');
    expect(result.settings.customOrigins).toEqual(['http://nas.lan:8188']);
    expect(result.settings.appPaths).toEqual({});
  });

  it('adds, lists and removes an app path; removing the origin removes its paths', () => {
    const O = 'http://lab.test:8080';
    const s = withAppPath(withAppPath(withCustomOrigin(defaultSettings(), O), O, '/other/'), O, '/comfy/');
    expect(s.appPaths[O]).toEqual(['/comfy/', '/other/']);
    expect(withAppPath(s, O, '/comfy/')).toBe(s);
    expect(withAppPath(s, O, 'nope')).toBe(s);
    expect(withoutAppPath(s, O, '/comfy/').appPaths[O]).toEqual(['/other/']);
    expect(withoutAppPath(withoutAppPath(s, O, '/comfy/'), O, '/other/').appPaths).toEqual({});
    expect(withoutCustomOrigin(s, O).appPaths).toEqual({});
    expect(loadSettings(JSON.parse(JSON.stringify(s)))).toEqual({ status: 'ok', settings: s, migrated: false });
  });
});

describe('found origins', () => {
  const O = 'http://127.0.0.1:9000';
  it('adds a recognised origin once, never one the user removed, and nothing when switched off', () => {
    const found = withFoundOrigin(defaultSettings(), O);
    expect(found.foundOrigins).toEqual([O]);
    expect(withFoundOrigin(found, O)).toBe(found);
    const removed = withoutFoundOrigin(found, O);
    expect(removed).toMatchObject({ foundOrigins: [], dismissedOrigins: [O] });
    expect(withFoundOrigin(removed, O)).toBe(removed);
    const off = { ...defaultSettings(), autoProtect: false };
    expect(withFoundOrigin(off, O)).toBe(off);
  });

  it('stops at the limit', () => {
    const full = { ...defaultSettings(), foundOrigins: Array.from({ length: LIMITS.foundOrigins }, (_, i) => `http://localhost:${10000 + i}`) };
    expect(withFoundOrigin(full, O)).toBe(full);
  });
});
