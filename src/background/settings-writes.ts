import { MAX_APP_PATHS } from '../core/app-path';
import { buildRules, ruleBudget } from '../core/dnr-rules';
import type { SiteChange, WriteError } from '../core/messages';
import { effectiveSettings, lockedBy, policySiteOptions } from '../core/managed';
import { parseOriginInput, type Origin } from '../core/origin';
import { setProtected } from '../core/protection';
import { loadSettings, withSiteOptions, type Settings, withAppPath } from '../core/settings';
import { applyEdit, type SettingsEdit } from '../core/settings-edits';
import { ruleLimits } from '../platform/dnr';
import { readPolicy } from '../platform/managed';
import { grantedOrigins } from '../platform/permissions';
import { local, updateSettings } from '../platform/storage';

class Refused extends Error {
  constructor(readonly error: WriteError) {
    super('refused');
  }
}

/**
 * A settings change made on the user's behalf (from the popup): applied to
 * what is stored now, refused before it is saved if the browser could not
 * enforce its rules, and a storage error is an answer, not an exception.
 */
async function changeSettings(change: (current: Settings) => Settings): Promise<{ ok: true } | { ok: false; error: WriteError }> {
  try {
    const { policy } = await readPolicy();
    await updateSettings(change, async (next) => {
      // What would be in force: the user's change with the policy merged over it.
      const inForce = effectiveSettings(next, policy);
      const budget = ruleBudget(buildRules(inForce, await grantedOrigins(inForce.customOrigins)), ruleLimits());
      if (!budget.ok) throw new Refused({ kind: 'limit', limit: budget.limit, count: budget.count, max: budget.max });
    });
    return { ok: true };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.error };
    return { ok: false, error: { kind: 'storage', detail: e instanceof Error ? e.message : String(e) } };
  }
}

/** Why `origin` is not one site's exact address (as `URL.origin` spells it), or null if it is. */
export function notASiteAddress(origin: string): WriteError | null {
  const parsed = parseOriginInput(origin);
  return parsed.ok && parsed.origin === origin ? null : { kind: 'storage', detail: 'not a site address' };
}

export async function setSite(origin: Origin, change: SiteChange): Promise<{ ok: true } | { ok: false; error: WriteError }> {
  const refused = notASiteAddress(origin);
  if (refused) return { ok: false, error: refused };
  const { policy } = await readPolicy();
  if (change.kind === 'protect' && !change.on && lockedBy(policy).origin(origin).locked) return { ok: false, error: { kind: 'managed' } };
  // An option the policy sets for every site: a change would be saved and then ignored, so it is refused and said so.
  if (change.kind === 'options' && policySiteOptions(policy).some((key) => key in change.patch)) return { ok: false, error: { kind: 'managed' } };
  if (change.kind === 'add-app') {
    // Only on an origin already split into apps (by the user or the policy: the settings in force): a first
    // path would narrow a whole site, which is the settings page's to do. Refused, and said, never a silent no-op.
    const apps = effectiveSettings(loadSettings(await local.get('settings')).settings, policy).appPaths[origin] ?? [];
    if (apps.length === 0) return { ok: false, error: { kind: 'storage', detail: 'this site is protected whole: add apps under a path in Settings' } };
    if (apps.length >= MAX_APP_PATHS && !apps.includes(change.path)) return { ok: false, error: { kind: 'storage', detail: `at most ${MAX_APP_PATHS} apps under a path per origin` } };
    return changeSettings((s) => withAppPath(s, origin, change.path));
  }
  return changeSettings((s) => (change.kind === 'protect' ? setProtected(s, origin, change.on) : withSiteOptions(s, origin, change.patch)));
}

/** An edit from the options page, applied to what is stored now (never to a page's copy). */
export function editSettings(edit: SettingsEdit): Promise<{ ok: true } | { ok: false; error: WriteError }> {
  return changeSettings((s) => applyEdit(s, edit));
}

/** The kept-aside copy of the settings: the notice dismissed, the copy deleted, or restored if this version can read it. */
export async function settingsAside(action: 'dismiss' | 'delete' | 'restore'): Promise<{ ok: true } | { ok: false; reason: 'newer' | 'damaged' | 'missing' | 'not-saved' }> {
  const aside = await local.get('settingsAside');
  if (action === 'delete') {
    await local.remove('settingsAside');
    return { ok: true };
  }
  if (!aside) return { ok: false, reason: 'missing' };
  if (action === 'dismiss') {
    await local.set('settingsAside', { ...aside, dismissed: true });
    return { ok: true };
  }
  if (aside.raw === null) return { ok: false, reason: 'missing' };
  const loaded = loadSettings(aside.raw);
  if (loaded.status === 'salvaged') return { ok: false, reason: loaded.kind };
  if (loaded.status === 'missing') return { ok: false, reason: 'missing' };
  if (!(await changeSettings(() => loaded.settings)).ok) return { ok: false, reason: 'not-saved' };
  await local.remove('settingsAside');
  return { ok: true };
}
