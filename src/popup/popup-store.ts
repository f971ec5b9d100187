import { create } from 'zustand';
import type { ClearChoice, ClearResult } from '../core/clear-report';
import type { PopupState, ProtectOffer, SiteChange, UndoResult, VersionCheck, WriteError } from '../core/messages';
import { send } from '../platform/messaging';
import { boundShortcut } from '../platform/commands';
import { activeTab } from '../platform/active-tab';

interface PopupStore {
  tabId: number | null;
  state: PopupState | null;
  version: VersionCheck | 'checking' | null;
  /** An unprotected page that shows a known AI tool: protect it with one click. */
  offer: ProtectOffer | null;
  /** The page has been read for an offer (whatever the answer). */
  offerChecked: boolean;
  clearing: boolean;
  /** The site's data is over the backup cap: the user chooses how to clear. */
  confirm: { bytes: number; capBytes: number } | null;
  lastResult: ClearResult | null;
  undoing: boolean;
  undoResult: UndoResult | null;
  writeError: WriteError | null;
  shortcut: string | null;
  load: () => Promise<void>;
  refresh: (until?: (state: PopupState) => boolean) => Promise<void>;
  clear: (choice?: ClearChoice) => Promise<void>;
  /** `access` asks for the site's host permission first, inside the click (an activeTab-only site). */
  undo: (access?: () => Promise<boolean>) => Promise<void>;
  setSite: (change: SiteChange) => Promise<boolean>;
}

const NO_TAB: PopupState = {
  status: { target: { kind: 'restricted', reason: 'no-url' }, protected: false, enforcedMode: null, intended: false, granted: false, busy: false, fingerprint: null, verdict: null },
  options: null,
  report: null,
  undo: null,
  settingsAside: false,
  autoPaused: null,
  staleFrames: [],
  rulesError: null,
  managed: { managed: false, locked: false, options: [] },
};

/**
 * The tab the popup describes: the active tab, or the one named in the URL
 * (`?tab=12`), which is how a test opens the popup page in a tab of its own.
 */
async function describedTab(): Promise<number | null> {
  const named = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(named) && named >= 0 && location.search.includes('tab=')) return named;
  return (await activeTab())?.id ?? null;
}

/** The popup's view of its tab: one answer from the background to paint, then fresh checks. */
export const usePopup = create<PopupStore>((set, get) => ({
  tabId: null,
  state: null,
  version: null,
  offer: null,
  offerChecked: false,
  clearing: false,
  confirm: null,
  lastResult: null,
  undoing: false,
  undoResult: null,
  writeError: null,
  shortcut: null,
  load: async () => {
    void boundShortcut().then((shortcut) => set({ shortcut }));
    const tabId = await describedTab();
    if (tabId === null) {
      set({ state: NO_TAB });
      return;
    }
    set({ tabId });
    const state = await send('popup-state', { tabId });
    set({ state });
    const { status } = state;
    if (status.target.kind === 'site' && !status.intended) {
      void send('protect-offer', { tabId }).then(
        (offer) => set({ offer, offerChecked: true }),
        () => set({ offer: null, offerChecked: true }),
      );
    }
    if (status.target.kind !== 'site' || !status.granted) return;
    set({ version: 'checking' });
    const [version, verdict] = await Promise.all([
      send('check-version', { origin: status.target.origin, ...(status.appPath ? { path: status.appPath } : {}) }),
      status.intended ? send('check-tab', { tabId }) : Promise.resolve(null),
    ]);
    const current = get().state;
    set({ version, state: current && verdict ? { ...current, status: { ...current.status, verdict } } : current });
  },
  refresh: async (until) => {
    const { tabId } = get();
    if (tabId === null) return;
    for (let i = 0; i < 20; i++) {
      const state = await send('popup-state', { tabId });
      set({ state });
      if (!until || until(state)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  },
  clear: async (choice = {}) => {
    const { tabId, clearing } = get();
    if (tabId === null || clearing) return;
    set({ clearing: true, lastResult: null, confirm: null, undoResult: null });
    try {
      const result = await send('clear-tab', { tabId, ...choice });
      if (!result.ok && result.error === 'needs-confirmation') set({ confirm: { bytes: result.bytes, capBytes: result.capBytes } });
      else set({ lastResult: result });
    } finally {
      set({ clearing: false });
    }
    await get().refresh();
  },
  undo: async (access) => {
    const { tabId, state, undoing } = get();
    const snapshotId = state?.undo?.id;
    if (tabId === null || !snapshotId || undoing) return;
    set({ undoing: true, undoResult: null });
    try {
      if (access && !(await access())) {
        set({ undoResult: { ok: false, error: 'no-permission' } });
        return;
      }
      set({ undoResult: await send('undo', { snapshotId, tabId }) });
    } finally {
      set({ undoing: false });
    }
    await get().refresh();
  },
  setSite: async (change) => {
    const origin = get().state?.status.target;
    if (origin?.kind !== 'site') return false;
    set({ writeError: null });
    const result = await send('set-site', { origin: origin.origin, change });
    if (!result.ok) {
      set({ writeError: result.error });
      return false;
    }
    // The rules follow the settings a moment later: wait for what the browser enforces.
    await get().refresh(change.kind === 'protect' ? (s) => s.status.protected === change.on : undefined);
    return true;
  },
}));
