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
      { id: 'page-report-added-sites', matches: ['http://192.168.1.20/*'], js: ['/assets/page-report.js'], runAt: 'document_start', persistAcrossSessions: true },
    ]);
    await local.set('settings', defaultSettings());
    await syncRules();
    expect([...registeredScripts.values()]).toEqual([]);
  });
});

describe('ensureSettings', () => {
  it('replaces corrupt settings by the defaults once, with a notice', async () => {
    await local.set('settings', { version: 2, customOrigins: 'oops' });
    expect(await ensureSettings()).toEqual(defaultSettings());
    expect(await local.get('settings')).toEqual(defaultSettings());
    expect((await local.get('settingsNotice'))?.issue).toMatch(/customOrigins|Invalid/i);
  });

  it('writes migrated settings back', async () => {
    await local.set('settings', { version: 1, origins: ['http://gpu-box.local:8188'] });
    await ensureSettings();
    expect(await local.get('settings')).toMatchObject({ version: 3, customOrigins: ['http://gpu-box.local:8188'], autoProtect: true });
    expect(await local.get('settingsNotice')).toBeUndefined();
  });
});
