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

export async function syncRules(settings?: Settings): Promise<void> {
  const current = settings ?? (await readSettings()).settings;
  await replaceDynamicRules(buildRules(current, await grantedOrigins(current.customOrigins)));
}
