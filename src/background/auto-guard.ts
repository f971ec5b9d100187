/**
 * The stored side of core/auto-guard: one guard per origin in local storage (a
 * pause and what was done survive a browser restart; idle guards are pruned),
 * every change under that origin's queue, so two checks that race cannot both
 * claim the one action an upgrade allows.
 */
import { EMPTY_GUARD, claim, isIdle, markDone, markFailed, noteVerdict, resume, type AutoAction, type AutoKind, type Guard } from '../core/auto-guard';
import type { Origin } from '../core/origin';
import { records } from '../platform/storage';
import { STORED_ITEMS } from '../core/stored-items';

export const guards = records(STORED_ITEMS.guard);

export interface Claim {
  action: AutoAction;
  /** No other automatic clear of the site in the window: its backup is kept until it expires. */
  firstOfBurst: boolean;
}

/**
 * Claims one automatic action for `origin`, or says no. At the ceiling the site
 * is paused (and says so in the popup) instead.
 */
export async function claimAction(origin: Origin, req: { kind: AutoKind; url: string; viewId: string }): Promise<Claim | null> {
  let claimed: Claim | null = null;
  await guards.update(origin, (current) => {
    const result = claim(current ?? EMPTY_GUARD, { ...req, now: Date.now() });
    if (result.action) claimed = { action: result.action, firstOfBurst: result.firstOfBurst };
    return current === undefined && result.guard === EMPTY_GUARD ? undefined : result.guard;
  });
  return claimed;
}

/** The claimed action did not run at all (the document it was for had gone): it was never spent. */
export async function releaseAction(origin: Origin, action: AutoAction): Promise<void> {
  await guards.update(origin, (g) => g && { ...g, actions: g.actions.filter((a) => !(a.at === action.at && a.kind === action.kind && a.url === action.url)) });
}

/** The claimed auto-clear has cleared (`removedData`: site data too, after its backup): pages loaded from now on show whether it took. */
export async function actionDone(origin: Origin, action: AutoAction, opts: { removedData?: boolean } = {}): Promise<void> {
  await guards.update(origin, (g) => g && markDone(g, action, Date.now(), opts));
}

/** The user asked Stalebuster to act by itself on this site again. */
export async function resumeAutomaticFixes(origin: Origin): Promise<{ ok: true }> {
  await guards.update(origin, (g) => g && resume(g));
  return { ok: true };
}

/** The claimed action ran and failed: one retry, then the site is paused. */
export async function actionFailed(origin: Origin, action: AutoAction): Promise<void> {
  await guards.update(origin, (g) => g && markFailed(g, action, Date.now()));
}

/** Tells the guard about a (confirmed) verdict; returns the guard as it now stands. */
export async function noteGuardVerdict(origin: Origin, seen: { url: string; viewId: string; stale: boolean; loadedAt: number }): Promise<Guard | undefined> {
  return guards.update(origin, (g) => g && noteVerdict(g, { url: seen.url, viewId: seen.viewId, stale: seen.stale, reportedAt: seen.loadedAt, now: Date.now() }));
}

/** Guards with nothing left to remember (no action in the window, no pause) are dropped. */
export async function pruneGuards(now = Date.now()): Promise<void> {
  for (const [origin, guard] of await guards.all()) {
    if (isIdle(guard, now)) await guards.update(origin, (g) => (g && isIdle(g, now) ? undefined : g));
  }
}
