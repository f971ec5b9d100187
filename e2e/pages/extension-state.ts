import { hostPatternFor } from '../../src/core/permissions';
import { CHECK_WINDOW_MS } from '../../src/core/staleness';
import type { BrowserSession } from '../drivers/session';

export interface Verdict {
  state: 'fresh' | 'stale' | 'unknown';
  from?: string | null;
  to?: string | null;
  reason?: string;
}

/**
 * What the extension knows and shows about a tab, read where the extension's
 * APIs are (its service worker in Chromium, its options page in Firefox).
 */
export class ExtensionState {
  constructor(readonly session: BrowserSession) {}

  /** The id of the tab showing `origin` (query all tabs: Firefox match patterns cannot name a port). */
  tabIdOf(origin: string): Promise<number> {
    return this.session.extension(async (origin) => {
      for (let i = 0; i < 100; i++) {
        const tab = (await chrome.tabs.query({})).find((t) => t.url?.startsWith(`${origin}/`));
        if (tab?.id !== undefined) return tab.id;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no tab shows ${origin}`);
    }, origin);
  }

  /** Waits until the page script is registered for `origin`'s host (a site added at run time gets it after its rules). */
  async waitForAddedSiteScript(origin: string): Promise<void> {
    const pattern = hostPatternFor(origin);
    await this.session.extension(async (pattern) => {
      for (let i = 0; i < 200; i++) {
        if ((await chrome.scripting.getRegisteredContentScripts()).some((s) => s.matches?.includes(pattern))) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no page script was registered for ${pattern}`);
    }, pattern);
  }

  async verdict(origin: string): Promise<Verdict | null> {
    return this.verdictOfTab(await this.tabIdOf(origin));
  }

  /** The detector's verdict for a tab, whatever the tab shows now. */
  verdictOfTab(tabId: number): Promise<Verdict | null> {
    return this.session.extension(async (tabId) => {
      const key = `tab:${tabId}`;
      const record = (await chrome.storage.session.get(key))[key] as { verdict: Verdict | null } | undefined;
      return record?.verdict ?? null;
    }, tabId);
  }

  /** Waits until the detector's verdict for the tab showing `origin` (or for tab `origin` when a number) is `state`. */
  async waitForVerdict(origin: string | number, state: Verdict['state'], timeoutMs = 20_000): Promise<Verdict> {
    const deadline = Date.now() + timeoutMs;
    let last: Verdict | null = null;
    while (Date.now() < deadline) {
      last = await (typeof origin === 'number' ? this.verdictOfTab(origin) : this.verdict(origin)).catch(() => null);
      if (last?.state === state) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`verdict for ${origin} never became ${state} (last: ${JSON.stringify(last)})`);
  }

  /** The tab's detector record: which report it judged last (reportedAt) and against which server answer. */
  async record(origin: string): Promise<{ reportedAt: number; loadedAt: number; navigation: string; judgedAgainst: string | null; verdict: Verdict | null } | null> {
    const tabId = await this.tabIdOf(origin);
    return this.session.extension(async (tabId) => {
      const key = `tab:${tabId}`;
      return ((await chrome.storage.session.get(key))[key] as { reportedAt: number; loadedAt: number; navigation: string; judgedAgainst: string | null; verdict: Verdict | null } | undefined) ?? null;
    }, tabId);
  }

  /** Waits until the detector has judged a report of the tab showing `origin` newer than `after` (a reportedAt). */
  async waitForJudged(origin: string, after: number, timeoutMs = 20_000): Promise<{ reportedAt: number; verdict: Verdict | null }> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const r = await this.record(origin).catch(() => null);
      if (r && r.reportedAt > after && r.judgedAgainst !== null) return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no report of ${origin} after ${after} was judged`);
  }

  /**
   * Waits until the detector has judged a report of the tab showing `origin` newer than `after`,
   * and whatever Stalebuster then did by itself has played out: no auto-clear still running, and
   * the document judged was loaded after the last reload it decided (a test that navigates on
   * sooner races that reload).
   */
  async waitForSettled(origin: string, after: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen: unknown = null;
    while (Date.now() < deadline) {
      const [r, g] = await Promise.all([this.record(origin).catch(() => null), this.guard(origin).catch(() => null)]);
      seen = { record: r, guard: g };
      const actions = (g?.actions ?? []) as { kind: string; outcome: string; at: number; doneAt?: number }[];
      const running = actions.some((a) => a.kind === 'clear' && a.outcome === 'done' && a.doneAt === undefined);
      const lastAction = Math.max(0, ...actions.map((a) => a.at));
      if (r && r.reportedAt > after && r.judgedAgainst !== null && !running && r.loadedAt > lastAction) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // What was last seen says which condition never held (no new report, a clear still running, or a document older than the last reload).
    throw new Error(`${origin} did not settle after ${after}: ${JSON.stringify(seen)}`);
  }

  /** The site's automatic-action guard (see core/auto-guard): what Stalebuster did by itself, and whether it paused. */
  guard(origin: string): Promise<{ actions: { kind: string; outcome: string }[]; paused: { reason: string } | null } | null> {
    return this.session.extension(async (origin) => {
      const key = `guard:${origin}`;
      return ((await chrome.storage.local.get(key))[key] as never) ?? null;
    }, origin);
  }

  /** Backups of `origin` in Undo's index. */
  backups(origin: string): Promise<{ id: string; records: number; pinned?: boolean }[]> {
    return this.session.extension(
      async (origin) => Object.values(((await chrome.storage.local.get('snapshots')).snapshots ?? {}) as Record<string, { id: string; origin: string; records: number; pinned?: boolean }>).filter((b) => b.origin === origin),
      origin,
    );
  }

  /** `origin`: or an app's address under a path, where its own report is kept. */
  async report(origin: string): Promise<{ trigger: string; pageStep: string; failure?: string | null; keptSiteData: boolean; undo: unknown } | undefined> {
    return this.session.extension(async (origin) => ((await chrome.storage.local.get('reports')).reports as Record<string, never> | undefined)?.[origin], origin);
  }

  /** The badge once its text is `text`: the verdict is stored a moment before the badge is painted. */
  async waitForBadge(origin: string, text: string, timeoutMs = 10_000): Promise<{ text: string; title: string }> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.badge(origin);
    while (last.text !== text && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      last = await this.badge(origin);
    }
    return last;
  }

  async badge(origin: string): Promise<{ text: string; title: string }> {
    const tabId = await this.tabIdOf(origin);
    return this.session.extension(
      async (tabId) => ({ text: await chrome.action.getBadgeText({ tabId }), title: await chrome.action.getTitle({ tabId }) }),
      tabId,
    );
  }

  /** Rule filters installed right now. */
  ruleFilters(): Promise<string[]> {
    return this.session.extension(async () => (await chrome.declarativeNetRequest.getDynamicRules()).map((r) => r.condition.urlFilter ?? ''));
  }

  async settings(): Promise<{ foundOrigins: string[]; dismissedOrigins: string[]; sites: Record<string, unknown> }> {
    return this.session.extension(async () => (await chrome.storage.local.get('settings')).settings as { foundOrigins: string[]; dismissedOrigins: string[]; sites: Record<string, unknown> });
  }

  /** Waits until the last server check of `origin`'s page is older than the window it is reused in (read, never changed). */
  async waitUntilCheckWindowEnds(origin: string): Promise<void> {
    const tabId = await this.tabIdOf(origin);
    const at = await this.session.extension(async (tabId) => {
      const url = ((await chrome.storage.session.get(`tab:${tabId}`))[`tab:${tabId}`] as { url: string } | undefined)?.url;
      return ((await chrome.storage.session.get(`check:${url}`))[`check:${url}`] as { at: number } | undefined)?.at ?? 0;
    }, tabId);
    if (at === 0) throw new Error(`no server check of ${origin}'s page is stored`);
    await untilClock(at + CHECK_WINDOW_MS + 100);
  }

  /**
   * Waits until the cool-down after the last clear of `origin`'s tab is over (src/background/clear-and-reload
   * COOLDOWN_MS after it reloaded the tab, read from its journal entry; gone: over).
   */
  async waitUntilCoolDownEnds(origin: string): Promise<void> {
    const tabId = await this.tabIdOf(origin);
    const finishedAt = () => this.session.extension(async (tabId) => {
      const entry = (await chrome.storage.session.get(`clear:${tabId}`))[`clear:${tabId}`] as { finishedAt: number | null } | undefined;
      return entry ? entry.finishedAt : undefined;
    }, tabId);
    let at = await finishedAt();
    for (const deadline = Date.now() + 20_000; at === null && Date.now() < deadline; at = await finishedAt()) await new Promise((r) => setTimeout(r, 100));
    if (at === null) throw new Error(`the clear of ${origin} never finished`);
    if (at === undefined) return;
    await untilClock(at + COOLDOWN_MS + 100);
  }

  /** Clear & reload through the UI contract, as the popup sends it (Firefox gives tests no door to the toolbar popup). */
  async clearViaMessage(origin: string): Promise<{ ok: boolean }> {
    const tabId = await this.tabIdOf(origin);
    return this.session.extension(async (tabId) => (await chrome.runtime.sendMessage({ type: 'clear-tab', tabId })) as { ok: boolean }, tabId);
  }
}

/** How long after a clear's reload a press of the same tab is refused (src/background/clear-and-reload COOLDOWN_MS, not importable here: that module loads the browser API). */
const COOLDOWN_MS = 1500;

/** Until the clock reads `time` (a time the extension stored: both read the same machine's clock). */
async function untilClock(time: number): Promise<void> {
  while (Date.now() < time) await new Promise((r) => setTimeout(r, Math.min(500, time - Date.now())));
}

/** Forgets the last server checks, as if the user came back some minutes later (no trailing check is pending then). */
export async function timePasses(session: BrowserSession): Promise<void> {
  await session.extension(async () => {
    const all = await chrome.storage.session.get(null);
    await chrome.storage.session.remove(Object.keys(all).filter((k) => k.startsWith('check:')));
  });
}
