import { create } from 'zustand';
import type { ClearResult } from '../core/clear-report';
import type { TabStatus, VersionCheck } from '../core/messages';
import { send } from '../platform/messaging';
import { activeTab } from '../platform/ui-surface';

interface TabState {
  tabId: number | null;
  status: TabStatus | null;
  version: VersionCheck | 'checking' | null;
  clearing: boolean;
  lastResult: ClearResult | null;
  load: () => Promise<void>;
  /** Asks the background again; `until` waits (briefly) for the rules to follow a settings change. */
  refresh: (opts?: { until?: (status: TabStatus) => boolean }) => Promise<void>;
  clear: () => Promise<void>;
}

/** The popup's view of the tab it was opened on. */
export const useTab = create<TabState>((set, get) => ({
  tabId: null,
  status: null,
  version: null,
  clearing: false,
  lastResult: null,
  load: async () => {
    const tab = await activeTab();
    if (!tab) {
      set({ status: { target: { kind: 'restricted', reason: 'no-url' }, protected: false, enforcedMode: null, intended: false, granted: false, busy: false, fingerprint: null, verdict: null } });
      return;
    }
    set({ tabId: tab.id });
    await get().refresh();
    const status = get().status;
    if (status?.target.kind === 'site' && status.granted) {
      set({ version: 'checking' });
      const [version, verdict] = await Promise.all([
        send('check-version', { origin: status.target.origin }),
        status.protected ? send('check-tab', { tabId: tab.id }) : Promise.resolve(null),
      ]);
      const current = get().status;
      set({ version, status: current && verdict ? { ...current, verdict } : current });
    }
  },
  refresh: async (opts = {}) => {
    const { tabId } = get();
    if (tabId === null) return;
    for (let i = 0; i < 20; i++) {
      const status = await send('tab-status', { tabId });
      set({ status });
      if (!opts.until || opts.until(status)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  },
  clear: async () => {
    const { tabId, clearing } = get();
    if (tabId === null || clearing) return;
    set({ clearing: true, lastResult: null });
    try {
      set({ lastResult: await send('clear-tab', { tabId }) });
    } finally {
      set({ clearing: false });
    }
  },
}));
