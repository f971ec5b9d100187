import { create } from 'zustand';
import { defaultSettings, loadSettings, type Settings } from '../core/settings';
import { local, onLocalChange, writeSettings } from '../platform/storage';

interface SettingsState {
  settings: Settings;
  loaded: boolean;
  /** Set when stored settings were corrupt and have been reset to the defaults. */
  notice: { issue: string } | null;
  load: () => Promise<void>;
  update: (change: (current: Settings) => Settings) => Promise<void>;
  replace: (next: Settings) => Promise<void>;
  dismissNotice: () => Promise<void>;
}

/**
 * One store for popup and options. Storage is the source of truth: writes go to
 * storage, and every page (and the background) follows storage.onChanged.
 */
export const useSettings = create<SettingsState>((set, get) => ({
  settings: defaultSettings(),
  loaded: false,
  notice: null,
  load: async () => {
    const [stored, notice] = await Promise.all([local.get('settings'), local.get('settingsNotice')]);
    const result = loadSettings(stored);
    const corrupt = result.status === 'corrupt' ? { issue: result.issue } : null;
    set({ settings: result.settings, loaded: true, notice: corrupt ?? (notice ? { issue: notice.issue } : null) });
  },
  update: async (change) => {
    const next = change(get().settings);
    set({ settings: next });
    await writeSettings(next);
  },
  replace: async (next) => {
    set({ settings: next });
    await writeSettings(next);
  },
  dismissNotice: async () => {
    set({ notice: null });
    await local.remove('settingsNotice');
  },
}));

let following = false;
/** Keeps the store in step with changes made by other pages or the background. */
export function followStorage(): void {
  if (following) return;
  following = true;
  onLocalChange((changes) => {
    if (changes.settings) {
      const result = loadSettings(changes.settings.newValue);
      if (result.status !== 'corrupt') useSettings.setState({ settings: result.settings });
    }
    if (changes.settingsNotice) {
      const value = changes.settingsNotice.newValue as { issue: string } | undefined;
      useSettings.setState({ notice: value ? { issue: value.issue } : null });
    }
  });
}
