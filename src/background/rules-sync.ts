import { addedSitePatterns, buildRules } from '../core/dnr-rules';
import { defaultSettings, type Settings } from '../core/settings';
import { syncAddedSiteScripts } from '../platform/content-scripts';
import { replaceDynamicRules } from '../platform/dnr';
import { grantedOrigins } from '../platform/permissions';
import { local, readSettings, writeSettings } from '../platform/storage';

/**
 * Loads the settings, repairing storage when they are missing or corrupt. A
 * corrupt value is replaced by the defaults once, with a notice the UI shows.
 */
export async function ensureSettings(): Promise<Settings> {
  const loaded = await readSettings();
  if (loaded.status === 'corrupt') {
    await local.set('settingsNotice', { issue: loaded.issue, at: Date.now() });
    await writeSettings(defaultSettings());
  } else if (loaded.status === 'missing' || loaded.migrated) {
    await writeSettings(loaded.settings);
  }
  return loaded.settings;
}

let queue: Promise<void> = Promise.resolve();

/**
 * Rebuilds the rules from the settings stored now. Calls are chained: two syncs
 * racing (install + the settings write it causes) would both read the same old
 * ids and the second would fail with "Duplicate rule ID".
 */
export function syncRules(): Promise<void> {
  const run = async () => {
    const { settings } = await readSettings();
    const granted = await grantedOrigins(settings.customOrigins);
    await replaceDynamicRules(buildRules(settings, granted));
    // After the rules, and on its own: a refused registration must not cost the rules.
    await syncAddedSiteScripts(addedSitePatterns(settings, granted)).catch((e) =>
      console.warn('Stalebuster: could not register the Back/Forward script for added sites:', e),
    );
  };
  queue = queue.then(run, run);
  return queue;
}
