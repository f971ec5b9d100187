import { buildRules } from '../core/dnr-rules';
import { defaultSettings, type Settings } from '../core/settings';
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
    await replaceDynamicRules(buildRules(settings, await grantedOrigins(settings.customOrigins)));
  };
  queue = queue.then(run, run);
  return queue;
}
