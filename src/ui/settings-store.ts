import { create } from 'zustand';
import { buildRules, ruleBudget } from '../core/dnr-rules';
import { EMPTY_POLICY, effectiveSettings, lockedBy, type ManagedPolicy, type PolicyIssue } from '../core/managed';
import type { WriteError } from '../core/messages';
import { defaultSettings, loadSettings, type Settings } from '../core/settings';
import { ruleLimits } from '../platform/dnr';
import { onPolicyChange, readPolicy } from '../platform/managed';
import { grantedOrigins } from '../platform/permissions';
import { local, onLocalChange, writeSettings, type RulesStatus, type SettingsAside } from '../platform/storage';

export type { WriteError };

interface SettingsState {
  /** The user's own settings: what the pages edit. */
  settings: Settings;
  /** The organisation's policy (none: EMPTY_POLICY) and the values it had that were ignored. */
  policy: ManagedPolicy;
  policyIssues: PolicyIssue[];
  loaded: boolean;
  /** Stored settings this version could not read as they were, kept aside (newer build, damage). */
  aside: SettingsAside | null;
  /** The browser refused the rules built from these settings: protection is not what the settings say. */
  rules: RulesStatus | null;
  /** The last change was not saved: what is shown is what is stored, not what was asked. */
  writeError: WriteError | null;
  load: () => Promise<void>;
  update: (change: (current: Settings) => Settings) => Promise<boolean>;
  replace: (next: Settings) => Promise<boolean>;
  dismissAside: () => Promise<void>;
  deleteAside: () => Promise<void>;
  /** Applies the kept-aside copy if this version can read it now; says why not otherwise. */
  restoreAside: () => Promise<{ ok: true } | { ok: false; reason: 'newer' | 'damaged' | 'missing' }>;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * One store for popup and options. Storage is the source of truth: writes go to
 * storage, every page (and the background) follows storage.onChanged, and a
 * write that fails puts back what storage really holds, with the reason.
 */
export const useSettings = create<SettingsState>((set, get) => {
  const write = async (next: Settings): Promise<boolean> => {
    const before = get().settings;
    // What would be in force: the change with the organisation's policy over it.
    const inForce = effectiveSettings(next, get().policy);
    const budget = ruleBudget(buildRules(inForce, await grantedOrigins(inForce.customOrigins)), ruleLimits());
    if (!budget.ok) {
      set({ writeError: { kind: 'limit', limit: budget.limit, count: budget.count, max: budget.max } });
      return false;
    }
    set({ settings: next, writeError: null });
    try {
      await writeSettings(next);
      return true;
    } catch (e) {
      const stored = await local.get('settings').catch(() => undefined);
      set({ settings: stored === undefined ? before : loadSettings(stored).settings, writeError: { kind: 'storage', detail: describe(e) } });
      return false;
    }
  };
  return {
    settings: defaultSettings(),
    policy: EMPTY_POLICY,
    policyIssues: [],
    loaded: false,
    aside: null,
    rules: null,
    writeError: null,
    load: async () => {
      const [{ settings, settingsAside, rulesStatus }, { policy, issues }] = await Promise.all([local.getMany(['settings', 'settingsAside', 'rulesStatus']), readPolicy()]);
      set({ settings: loadSettings(settings).settings, policy, policyIssues: issues, loaded: true, aside: settingsAside ?? null, rules: rulesStatus ?? null });
    },
    update: (change) => write(change(get().settings)),
    replace: (next) => write(next),
    dismissAside: async () => {
      const aside = get().aside;
      if (!aside) return;
      set({ aside: { ...aside, dismissed: true } });
      await local.set('settingsAside', { ...aside, dismissed: true });
    },
    deleteAside: async () => {
      set({ aside: null });
      await local.remove('settingsAside');
    },
    restoreAside: async () => {
      const aside = get().aside;
      if (!aside || aside.raw === null) return { ok: false, reason: 'missing' };
      const loaded = loadSettings(aside.raw);
      if (loaded.status === 'salvaged') return { ok: false, reason: loaded.kind };
      if (loaded.status === 'missing') return { ok: false, reason: 'missing' };
      if (!(await write(loaded.settings))) return { ok: false, reason: 'damaged' };
      await get().deleteAside();
      return { ok: true };
    },
  };
});

let following = false;
/** Keeps the store in step with changes made by other pages or the background. */
export function followStorage(): void {
  if (following) return;
  following = true;
  onPolicyChange(() => void readPolicy().then(({ policy, issues }) => useSettings.setState({ policy, policyIssues: issues })));
  onLocalChange((changes) => {
    if (changes.settings) useSettings.setState({ settings: loadSettings(changes.settings.newValue).settings });
    if (changes.settingsAside) useSettings.setState({ aside: (changes.settingsAside.newValue as SettingsAside | undefined) ?? null });
    if (changes.rulesStatus) useSettings.setState({ rules: (changes.rulesStatus.newValue as RulesStatus | undefined) ?? null });
  });
}

/** The settings in force (the user's with the policy over them), and what the policy locks. */
export function useEffective(): { effective: Settings; locks: ReturnType<typeof lockedBy> } {
  const { settings, policy } = useSettings();
  return { effective: effectiveSettings(settings, policy), locks: lockedBy(policy) };
}
