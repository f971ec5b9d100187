/**
 * Pausing a site: its tabs reload once with their scripts blocked (a session
 * rule sets `default-src 'none'` on their documents), so the running app holds
 * no database open and writes nothing while Stalebuster reads or replaces its
 * data. Used by Undo (restore) and by Clear & reload (from the backup until the
 * removal is done: a record the app committed in between would be in no backup).
 * Content scripts run in their own world, untouched by the page's policy.
 */
import type { Origin } from '../core/origin';
import { TabGoneError, hardReload, reloadAndSettle, unregisterWorkers } from '../platform/clear';
import { pausePageScripts, resumeAllPageScripts, resumePageScripts } from '../platform/dnr';
import { records } from '../platform/storage';
import { STORED_ITEMS } from '../core/stored-items';
import { tabUrl, tabsByOrigin } from '../platform/tabs';

/** Each pause, journaled so a worker that dies mid-pause does not leave a site paused. */
const pauses = records(STORED_ITEMS.pause);
let lifted: Promise<void> | null = null;

/**
 * At worker start nothing is paused on purpose: a pause left in the browser is
 * a dead worker's. It is lifted and the tabs it held are reloaded onto the live
 * app. Once per worker lifetime; a pause waits for it, so it never lifts a new one.
 */
export function liftStalePauses(): Promise<void> {
  lifted ??= (async () => {
    const left = await pauses.all();
    const rules = await resumeAllPageScripts();
    if (rules > 0 || left.size > 0) console.warn(`Stalebuster: lifted ${rules} script pause(s) left by an interrupted Undo or clear`);
    for (const [key, entry] of left) {
      for (const tab of entry.tabIds) {
        const url = await tabUrl(tab);
        if (url && new URL(url).origin === entry.origin) await hardReload(tab).catch(() => undefined);
      }
      await pauses.remove(key);
    }
  })().catch((e) => console.error('Stalebuster: could not lift old script pauses:', e));
  return lifted;
}

export interface SitePause {
  /** Every tab of the site, `target` among them. */
  tabs: number[];
  /** Service workers the pause unregistered (they belong in the clear's report). */
  workersRemoved: number;
  /**
   * Ends the pause: the rule goes, and the tabs reload past every cache (nothing
   * of the paused load may be reused). `except` is reloaded by the caller.
   */
  lift(opts?: { except?: number }): Promise<void>;
}

/**
 * Pauses every tab of `origin` in `partition` (compat.partitionOf). Service workers are unregistered first: a
 * worker answers the reload from its cache, where no header rule reaches, and
 * the app would run. Throws TabGoneError when `target` does not come back on
 * the origin (the pause is lifted again first).
 */
export async function pauseSite(origin: Origin, target: number, partition: string | null): Promise<SitePause> {
  await liftStalePauses();
  // The tabs of the target's partition only: another container's app writes to its own storage.
  const tabs = [...new Set([target, ...((await tabsByOrigin(partition)).get(origin) ?? [])])];
  // Never 0, and random: each pause is its own rule.
  const ruleId = 1 + Math.floor(Math.random() * 0x3fff_fffe);
  const lift = async (opts: { except?: number } = {}) => {
    await resumePageScripts(ruleId).catch((e) => console.error('Stalebuster: could not lift the script pause:', e));
    await pauses.remove(ruleId).catch(() => undefined);
    await Promise.all(tabs.filter((t) => t !== opts.except).map((tab) => hardReload(tab).catch(() => undefined)));
  };
  let workersRemoved = 0;
  for (const tab of tabs) workersRemoved += (await unregisterWorkers(tab, origin).catch(() => null)) ?? 0;
  await pauses.set(ruleId, { origin, tabIds: tabs, at: Date.now() });
  try {
    await pausePageScripts(ruleId, tabs, origin);
    const settled = await Promise.all(tabs.map((tab) => reloadAndSettle(tab, origin)));
    if (!settled[tabs.indexOf(target)]) throw new TabGoneError(target);
  } catch (e) {
    await lift();
    throw e;
  }
  return { tabs, workersRemoved, lift };
}
