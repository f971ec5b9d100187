import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, it } from 'vitest';
import { buildRules } from '../core/dnr-rules';
import { defaultSettings, withCustomOrigin } from '../core/settings';
import { local } from '../platform/storage';
import { registeredScripts, world } from '../test/fake-extension';
import { ensureSettings, syncRules } from './rules-sync';

describe('syncRules', () => {
  it('installs the rules built from stored settings', async () => {
    await ensureSettings();
    await syncRules();
    expect(world.rules).toEqual(buildRules(defaultSettings(), new Set()));
  });

  it('racing syncs never collide on rule ids (install + the settings write it causes)', async () => {
    await ensureSettings();
    await Promise.all([syncRules(), syncRules(), syncRules()]);
    const ids = world.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(world.rules).toHaveLength(buildRules(defaultSettings(), new Set()).length);
  });

  it('adds a user origin once granted, and removing it removes its rule', async () => {
    const origin = 'http://192.168.1.20:7860';
    await local.set('settings', withCustomOrigin(defaultSettings(), origin));
    await syncRules();
    expect(world.rules.map((r) => r.condition.urlFilter)).not.toContain(`|${origin}/`);
    world.granted.add('http://192.168.1.20/*');
    await syncRules();
    expect(world.rules.map((r) => r.condition.urlFilter)).toContain(`|${origin}/`);
    await local.set('settings', defaultSettings());
    await syncRules();
    expect(world.rules.map((r) => r.condition.urlFilter)).not.toContain(`|${origin}/`);
  });

  it('registers the Back/Forward script for a granted added site, and drops it with the site', async () => {
    const origin = 'http://192.168.1.20:7860';
    await local.set('settings', withCustomOrigin(defaultSettings(), origin));
    await syncRules();
    expect([...registeredScripts.values()]).toEqual([]);
    world.granted.add('http://192.168.1.20/*');
    await syncRules();
    expect([...registeredScripts.values()]).toEqual([
      { id: 'page-report-added-sites', matches: ['http://192.168.1.20/*'], js: ['/assets/page-report.js'], runAt: 'document_start', allFrames: true, persistAcrossSessions: true },
    ]);
    await local.set('settings', defaultSettings());
    await syncRules();
    expect([...registeredScripts.values()]).toEqual([]);
  });
});

describe('ensureSettings', () => {
  it('keeps damaged settings aside, then writes back every part still valid', async () => {
    const damaged = { version: 2, customOrigins: 'oops', allLoopbackPorts: true };
    await local.set('settings', damaged);
    expect(await ensureSettings()).toEqual({ ...defaultSettings(), allLoopbackPorts: true });
    expect(await local.get('settings')).toEqual({ ...defaultSettings(), allLoopbackPorts: true });
    expect(await local.get('settingsAside')).toMatchObject({ raw: damaged, kind: 'damaged', dismissed: false, issue: expect.any(String) });
  });

  it('a rollback (settings of a newer version) keeps the user\'s sites and options, and the full copy aside', async () => {
    const newer = {
      version: 9,
      protectKnownPorts: true,
      allLoopbackPorts: false,
      customOrigins: ['http://gpu-box.local:8188', 'not an origin'],
      autoProtect: true,
      foundOrigins: [],
      dismissedOrigins: [],
      defaults: { mode: 'revalidate', autoClear: true },
      sites: { 'http://gpu-box.local:8188': { mode: 'bypass' }, 'http://localhost:7860': { keepSiteData: true, undoCapMb: 900 } },
      managedLocks: { everything: true },
    };
    await local.set('settings', newer);
    const salvaged = await ensureSettings();
    expect(salvaged).toEqual({
      ...defaultSettings(),
      customOrigins: ['http://gpu-box.local:8188'],
      defaults: { mode: 'revalidate', autoClear: true, keepSiteData: false },
      sites: { 'http://gpu-box.local:8188': { mode: 'bypass' } },
    });
    expect(await local.get('settingsAside')).toMatchObject({ raw: newer, kind: 'newer' });
  });

  it('writes migrated settings back', async () => {
    await local.set('settings', { version: 1, origins: ['http://gpu-box.local:8188'] });
    await ensureSettings();
    expect(await local.get('settings')).toMatchObject({ version: 4, appPaths: {}, customOrigins: ['http://gpu-box.local:8188'], autoProtect: true });
    expect(await local.get('settingsAside')).toBeUndefined();
  });
});

describe('rules the browser refuses', () => {
  it('are reported as not active (status and badge), and the next change retries from the full settings', async () => {
    await ensureSettings();
    world.dnrLimit = 10;
    await syncRules();
    expect(await local.get('rulesStatus')).toMatchObject({ ok: false, error: expect.stringMatching(/rule count exceeded/i) });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    world.dnrLimit = Infinity;
    await syncRules();
    expect(await local.get('rulesStatus')).toMatchObject({ ok: true, rules: buildRules(defaultSettings(), new Set()).length });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });
});
