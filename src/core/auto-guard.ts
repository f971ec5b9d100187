/**
 * What keeps Stalebuster's automatic actions (a history reload, an auto-clear)
 * safe whatever the verdict that asked for them. 0.2.0 trusted the verdict: an
 * unchanged app whose HTML put a per-request token in a script URL read as "old
 * code" on every check, and auto-clear backed up, wiped and reloaded it every
 * 10 s until the user's data had left every backup. These rules hold even when
 * the verdict is wrong:
 *
 * - once per upgrade: one automatic action per page URL and server answer
 *   (`viewId`), and one auto-clear per server answer for the whole site;
 * - a hard ceiling: at most `CEILING` upgrades acted on per site in `WINDOW_MS`
 *   (each at most twice: once, and once more after a failure), so at most
 *   2 × CEILING automatic actions; reaching it pauses the site;
 * - check after acting: a page judged old again against the answer it was just
 *   fixed for shows the verdict cannot be fixed that way (or is wrong): pause;
 * - a failed action is retried once, a second failure pauses.
 *
 * A first pause ends when the server's answer for a page of the site changes (a
 * new upgrade), never by itself and never on a page's say-so; a second one
 * within a day ends only when the user resumes automatic fixes. What was done
 * is remembered for a day.
 */

export type AutoKind = 'reload' | 'clear';

export interface AutoAction {
  kind: AutoKind;
  /** The page URL it was decided for (documentKey). */
  url: string;
  /** The server answer it was decided against. */
  viewId: string;
  at: number;
  outcome: 'done' | 'failed';
  /** An auto-clear that removed site data (its backup was stored first). */
  removedData?: boolean;
  /**
   * When the action took effect (an auto-clear's stores cleared, just before its
   * reload; a history reload when decided). Until then a page that loads is no
   * evidence about the fix: it loaded while the fix was still running.
   */
  doneAt?: number;
}

export type PauseReason = 'ceiling' | 'still-old' | 'failed';

export interface Pause {
  at: number;
  reason: PauseReason;
  /** The server answer per page URL when the pause began: a different answer for one of them ends it. */
  views: Record<string, string>;
  /**
   * A second pause within MEMORY_MS: the verdict has proved unreliable for this
   * site twice (a token that changes by the minute makes every answer look like
   * an upgrade), so no server answer ends it; only the user does ("Resume").
   */
  sticky?: boolean;
}

export interface Guard {
  actions: AutoAction[];
  paused: Pause | null;
  /** When the site was paused, within MEMORY_MS. */
  pauses?: number[];
}

export const EMPTY_GUARD: Guard = { actions: [], paused: null };

/** At most this many upgrades (server answers) acted on per site in WINDOW_MS; a real upgrade needs one. */
export const CEILING = 3;
/** Attempts per upgrade: the first, and one more after a failure. */
export const ATTEMPTS = 2;
export const WINDOW_MS = 15 * 60_000;
/**
 * How long an action and a pause are remembered: "once per upgrade" holds for a
 * day, not only for the ceiling's window, so a wrong verdict that comes back
 * every 16 minutes is not acted on again.
 */
export const MEMORY_MS = 24 * 60 * 60_000;
/** At most this many actions are kept (6 per window at most, so a day's worth at a sane pace). */
const KEPT_ACTIONS = 100;
/** Page URLs remembered in a pause. */
const PAUSE_URLS = 50;

export type Decision = { act: true; retry: boolean } | { act: false; why: 'paused' | 'done' | 'ceiling' };

/** Actions that count for this upgrade: of this page, or an auto-clear of the site for the same answer. */
function forUpgrade(guard: Guard, url: string, viewId: string): AutoAction[] {
  return guard.actions.filter((a) => a.viewId === viewId && (a.url === url || a.kind === 'clear'));
}

/** May Stalebuster act by itself now? `ceiling` means it must pause the site (see `pause`). */
export function decide(guard: Guard, req: { kind: AutoKind; url: string; viewId: string; now: number }): Decision {
  if (guard.paused) return { act: false, why: 'paused' };
  const same = forUpgrade(guard, req.url, req.viewId);
  if (same.some((a) => a.outcome === 'done') || same.length >= ATTEMPTS) return { act: false, why: 'done' };
  // A retry of an upgrade already counted is no new upgrade; anything else is one more in the window.
  const upgrades = new Set(guard.actions.filter((a) => req.now - a.at < WINDOW_MS).map((a) => a.viewId));
  if (same.length === 0 && upgrades.size >= CEILING) return { act: false, why: 'ceiling' };
  return { act: true, retry: same.length === 1 };
}

/**
 * Decides, and on yes records the action as done before anything runs: a worker
 * that dies half-way leaves it spent rather than free to run again. A history
 * reload takes effect as it is answered; an auto-clear once its stores are
 * cleared (markDone). At the ceiling the site is paused instead.
 */
export function claim(guard: Guard, req: { kind: AutoKind; url: string; viewId: string; now: number }): { guard: Guard; action: AutoAction | null; firstOfBurst: boolean } {
  const decision = decide(guard, req);
  if (!decision.act) {
    return { guard: decision.why === 'ceiling' ? pause(guard, 'ceiling', { [req.url]: req.viewId }, req.now) : guard, action: null, firstOfBurst: false };
  }
  const action: AutoAction = { kind: req.kind, url: req.url, viewId: req.viewId, at: req.now, outcome: 'done', ...(req.kind === 'reload' ? { doneAt: req.now } : {}) };
  return { guard: recordAction(guard, action), action, firstOfBurst: !removedDataWithin(guard, req.now) };
}

function recordAction(guard: Guard, action: AutoAction): Guard {
  return { ...guard, actions: [...guard.actions.filter((a) => action.at - a.at < MEMORY_MS), action].slice(-KEPT_ACTIONS) };
}

/** A claimed action took effect now (see AutoAction.doneAt); `removedData`: an auto-clear removed site data (after its backup). */
export function markDone(guard: Guard, claimed: AutoAction, now: number, opts: { removedData?: boolean } = {}): Guard {
  return { ...guard, actions: guard.actions.map((a) => (sameAction(a, claimed) ? { ...a, doneAt: now, ...(opts.removedData ? { removedData: true } : {}) } : a)) };
}

/**
 * Whether an automatic clear already removed this site's data within MEMORY_MS.
 * If not, the backup about to be taken holds what the user had before
 * Stalebuster first removed anything by itself, and is pinned (kept until it
 * expires); a clear whose backup failed or kept the data does not count.
 */
export function removedDataWithin(guard: Guard, now: number): boolean {
  return guard.actions.some((a) => a.kind === 'clear' && a.removedData === true && now - a.at < MEMORY_MS);
}

const sameAction = (a: AutoAction, b: AutoAction) => a.at === b.at && a.kind === b.kind && a.url === b.url && a.viewId === b.viewId;

/** A claimed action did not complete: it may be tried once more; a second failure for one upgrade pauses the site. */
export function markFailed(guard: Guard, claimed: AutoAction, now: number): Guard {
  const actions = guard.actions.map((a) => (sameAction(a, claimed) ? { ...a, outcome: 'failed' as const } : a));
  const next = { ...guard, actions };
  const failures = forUpgrade(next, claimed.url, claimed.viewId).filter((a) => a.outcome === 'failed').length;
  return failures >= ATTEMPTS ? pause(next, 'failed', { [claimed.url]: claimed.viewId }, now) : next;
}

export function pause(guard: Guard, reason: PauseReason, views: Record<string, string>, now: number): Guard {
  if (guard.paused) return guard;
  const earlier = (guard.pauses ?? []).filter((at) => now - at < MEMORY_MS);
  return { ...guard, paused: { at: now, reason, views, ...(earlier.length > 0 ? { sticky: true } : {}) }, pauses: [...earlier, now].slice(-10) };
}

/** The user pressed "Resume automatic fixes": the pause ends, what was done stays remembered. */
export function resume(guard: Guard): Guard {
  return { ...guard, paused: null, pauses: [] };
}

/**
 * What a new verdict on a page tells the guard. `stale` verdicts reach here only
 * once confirmed by the server (two answers agreeing), and `reportedAt` is when
 * the page's document reported itself.
 *
 * - A page of a paused site whose server answer changed ends the pause.
 * - A page judged old again, in a document loaded after an action for that very
 *   answer, pauses the site: acting again would change nothing but the user's tab.
 */
export function noteVerdict(guard: Guard, seen: { url: string; viewId: string; stale: boolean; reportedAt: number; now: number }): Guard {
  if (guard.paused) {
    const before = guard.paused.views[seen.url];
    if (!guard.paused.sticky && before !== undefined && before !== seen.viewId) return { ...guard, paused: null };
    if (before === undefined && Object.keys(guard.paused.views).length < PAUSE_URLS) {
      return { ...guard, paused: { ...guard.paused, views: { ...guard.paused.views, [seen.url]: seen.viewId } } };
    }
    return guard;
  }
  if (!seen.stale) return guard;
  const fixedBefore = forUpgrade(guard, seen.url, seen.viewId).some((a) => a.outcome === 'done' && a.doneAt !== undefined && a.doneAt < seen.reportedAt);
  return fixedBefore ? pause(guard, 'still-old', { [seen.url]: seen.viewId }, seen.now) : guard;
}

/** Nothing to remember: no action or pause within MEMORY_MS, and no pause now. */
export function isIdle(guard: Guard, now: number): boolean {
  return guard.paused === null && guard.actions.every((a) => now - a.at >= MEMORY_MS) && (guard.pauses ?? []).every((at) => now - at >= MEMORY_MS);
}
