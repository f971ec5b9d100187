import { create } from 'zustand';
import { EMPTY_POLICY, effectiveSettings, lockedBy, type ManagedPolicy, type PolicyIssue } from '../core/managed';
import type { WriteError } from '../core/messages';
import { defaultSettings, loadSettings, type Settings } from '../core/settings';
import type { SettingsEdit } from '../core/settings-edits';
import { onPolicyChange, readPolicy } from '../platform/managed';
import { send } from '../platform/messaging';
import { local, onLocalChange, readLocal, type RulesStatus, type SettingsAside } from '../platform/storage';


interface SettingsState {
  /** The user's own settings, as stored: what the pages show. */
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
  /** Asks the background to make a change (core/settings-edits); true once it is saved. */
  edit: (edit: SettingsEdit) => Promise<boolean>;
  dismissAside: () => Promise<void>;
  deleteAside: () => Promise<void>;
  /** Applies the kept-aside copy if this version can read it now; says why not otherwise. */
  restoreAside: () => Promise<{ ok: true } | { ok: false; reason: 'newer' | 'damaged' | 'missing' | 'not-saved' }>;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * One store for the settings pages. The background is the only writer: a page
 * sends an edit and shows what storage holds, following storage.onChanged. A
 * refused or failed edit leaves the stored settings (and so the page) as they
 * were, with the reason.
 */
export const useSettings = create<SettingsState>((set) => ({
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
  edit: async (edit) => {
    try {
      const answer = await send('edit-settings', { edit });
      if (!answer) throw new Error('the background did not answer');
      if (!answer.ok) {
        set({ writeError: answer.error });
        return false;
      }
    } catch (e) {
      set({ writeError: { kind: 'storage', detail: describe(e) } });
      return false;
    }
    // What was saved, without waiting for the change event: a page reading on at once sees it.
    set({ settings: loadSettings(await local.get('settings')).settings, writeError: null });
    return true;
  },
  dismissAside: async () => {
    await send('settings-aside', { action: 'dismiss' });
  },
  deleteAside: async () => {
    await send('settings-aside', { action: 'delete' });
  },
  restoreAside: async () => (await send('settings-aside', { action: 'restore' })) ?? { ok: false, reason: 'not-saved' },
}));

let following = false;
/** Keeps the store in step with changes made by other pages or the background. */
export function followStorage(): void {
  if (following) return;
  following = true;
  onPolicyChange(() => void readPolicy().then(({ policy, issues }) => useSettings.setState({ policy, policyIssues: issues })));
  onLocalChange((changes) => {
    if (changes.settings) useSettings.setState({ settings: loadSettings(changes.settings.newValue).settings });
    if (changes.settingsAside) useSettings.setState({ aside: readLocal('settingsAside', changes.settingsAside.newValue) ?? null });
    if (changes.rulesStatus) useSettings.setState({ rules: readLocal('rulesStatus', changes.rulesStatus.newValue) ?? null });
  });
}

/** The settings in force (the user's with the policy over them), and what the policy locks. */
export function useEffective(): { effective: Settings; locks: ReturnType<typeof lockedBy> } {
  const { settings, policy } = useSettings();
  return { effective: effectiveSettings(settings, policy), locks: lockedBy(policy) };
}
