import { addedSitePatterns, buildRules } from '../core/dnr-rules';
import { loadSettings, type Settings } from '../core/settings';
import { syncAddedSiteScripts } from '../platform/content-scripts';
import { replaceDynamicRules } from '../platform/dnr';
import { showRulesFailure } from '../platform/badge';
import { grantedOrigins } from '../platform/permissions';
import { local, readSettings, serialised, writeSettings } from '../platform/storage';

/** A kept-aside copy larger than this keeps only its description (settings at every bound are far smaller). */
const MAX_ASIDE_BYTES = 2_000_000;

/**
 * Loads the settings, repairing storage when they are missing, older, newer or
 * damaged. Nothing unreadable is ever simply overwritten: the stored value is
 * kept aside first (restorable and exportable from the options page), then
 * every part of it that is still valid is written back.
 */
export async function ensureSettings(): Promise<Settings> {
  return serialised('local:settings', async () => {
    const stored = await local.get('settings');
    const loaded = loadSettings(stored);
    if (loaded.status === 'salvaged') {
      const size = JSON.stringify(stored ?? null)?.length ?? 0;
      const raw = size <= MAX_ASIDE_BYTES ? stored : null;
      await local.set('settingsAside', { raw, kind: loaded.kind, issue: loaded.issue, at: Date.now(), dismissed: false });
      await writeSettings(loaded.settings);
    } else if (loaded.status === 'missing' || loaded.migrated) {
      await writeSettings(loaded.settings);
    }
    return loaded.settings;
  });
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
    const rules = buildRules(settings, granted);
    try {
      await replaceDynamicRules(rules);
    } catch (e) {
      // The old rules stay in force: say so everywhere, and let the next change retry from the full settings.
      const error = e instanceof Error ? e.message : String(e);
      console.error('Stalebuster: the browser refused the rules:', error);
      await local.set('rulesStatus', { ok: false, at: Date.now(), error });
      await showRulesFailure(error);
      return;
    }
    if ((await local.get('rulesStatus'))?.ok === false) await showRulesFailure(null);
    await local.set('rulesStatus', { ok: true, at: Date.now(), rules: rules.length });
    // After the rules, and on its own: a refused registration must not cost the rules.
    await syncAddedSiteScripts(addedSitePatterns(settings, granted)).catch((e) =>
      console.warn('Stalebuster: could not register the Back/Forward script for added sites:', e),
    );
  };
  queue = queue.then(run, run);
  return queue;
}
