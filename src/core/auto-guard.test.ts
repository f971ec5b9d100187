import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTEMPTS, CEILING, EMPTY_GUARD, WINDOW_MS, MEMORY_MS, claim, decide, isIdle, markDone, markFailed, noteVerdict, pause, removedDataWithin, resume, type AutoAction, type AutoKind, type Guard } from './auto-guard';

const A = 'http://localhost:7860/';
const B = 'http://localhost:7860/other';
const T0 = 1_800_000_000_000;

/** What the background does: claim, and for an auto-clear mark it done once its stores are cleared. */
function attempt(guard: Guard, kind: AutoKind, url: string, viewId: string, now: number): { guard: Guard; action: AutoAction | null } {
  const result = claim(guard, { kind, url, viewId, now });
  return { guard: result.action && kind === 'clear' ? markDone(result.guard, result.action, now) : result.guard, action: result.action };
}

describe('once per upgrade', () => {
  it('a page is reloaded once for one server answer, however often it reports', () => {
    let g = EMPTY_GUARD;
    let acted = 0;
    for (let i = 0; i < 10; i++) {
      const r = attempt(g, 'reload', A, 'v2', T0 + i * 1000);
      g = r.guard;
      if (r.action) acted++;
    }
    expect(acted).toBe(1);
  });

  it('visiting another page of the app does not make the upgrade new again (A → B → Back)', () => {
    let g = attempt(EMPTY_GUARD, 'reload', A, 'v2', T0).guard;
    g = attempt(g, 'reload', B, 'w2', T0 + 1000).guard; // B's own upgrade: its own one reload
    expect(decide(g, { kind: 'reload', url: A, viewId: 'v2', now: T0 + 2000 })).toEqual({ act: false, why: 'done' });
  });

  it('one auto-clear per server answer for the whole site', () => {
    const g = attempt(EMPTY_GUARD, 'clear', A, 'v2', T0).guard;
    expect(decide(g, { kind: 'clear', url: B, viewId: 'v2', now: T0 + 1 })).toEqual({ act: false, why: 'done' });
    expect(decide(g, { kind: 'reload', url: A, viewId: 'v2', now: T0 + 1 })).toEqual({ act: false, why: 'done' });
  });

  it('a real new upgrade is acted on again', () => {
    const g = attempt(EMPTY_GUARD, 'clear', A, 'v2', T0).guard;
    expect(decide(g, { kind: 'clear', url: A, viewId: 'v3', now: T0 + 60_000 })).toEqual({ act: true, retry: false });
  });
});

describe('the ceiling', () => {
  it(`pauses the site after ${CEILING} upgrades acted on in the window, whatever the answers`, () => {
    let g = EMPTY_GUARD;
    for (let i = 0; i < CEILING; i++) g = attempt(g, 'clear', A, `v${i}`, T0 + i).guard;
    const r = attempt(g, 'clear', A, 'v-next', T0 + CEILING);
    expect(r.action).toBeNull();
    expect(r.guard.paused).toMatchObject({ reason: 'ceiling' });
  });

  it('a retry after a failure is not a new upgrade: two upgrades with a retry each still leave room for a third', () => {
    let g = EMPTY_GUARD;
    for (const view of ['v1', 'v2']) {
      const first = attempt(g, 'clear', A, view, T0);
      g = markFailed(first.guard, first.action!, T0);
      g = attempt(g, 'clear', A, view, T0 + 1).guard; // the retry, done
    }
    expect(attempt(g, 'clear', A, 'v3', T0 + 2).action).not.toBeNull();
  });

  it('counts only the window: a site upgraded every hour is never paused', () => {
    let g = EMPTY_GUARD;
    for (let i = 0; i < 10; i++) {
      const r = attempt(g, 'clear', A, `v${i}`, T0 + i * (WINDOW_MS + 1));
      expect(r.action).not.toBeNull();
      g = r.guard;
    }
    expect(g.paused).toBeNull();
  });
});

describe('check after acting', () => {
  it('a page loaded after a fix and still judged old against the same answer pauses the site', () => {
    const g = attempt(EMPTY_GUARD, 'reload', A, 'v2', T0).guard;
    const after = noteVerdict(g, { url: A, viewId: 'v2', stale: true, reportedAt: T0 + 500, now: T0 + 600 });
    expect(after.paused).toMatchObject({ reason: 'still-old', views: { [A]: 'v2' } });
    expect(decide(after, { kind: 'reload', url: A, viewId: 'v2', now: T0 + 700 })).toEqual({ act: false, why: 'paused' });
  });

  it('a page loaded while an auto-clear still runs (before its stores are cleared) proves nothing; one loaded after does', () => {
    const claimed = claim(EMPTY_GUARD, { kind: 'clear', url: A, viewId: 'v2', now: T0 });
    const during = noteVerdict(claimed.guard, { url: A, viewId: 'v2', stale: true, reportedAt: T0 + 50, now: T0 + 60 });
    expect(during.paused).toBeNull();
    const cleared = markDone(during, claimed.action!, T0 + 400);
    expect(noteVerdict(cleared, { url: A, viewId: 'v2', stale: true, reportedAt: T0 + 500, now: T0 + 600 }).paused).toMatchObject({ reason: 'still-old' });
  });

  it('a document loaded BEFORE the fix (a restore from the back/forward cache) proves nothing', () => {
    const g = attempt(EMPTY_GUARD, 'reload', A, 'v2', T0).guard;
    expect(noteVerdict(g, { url: A, viewId: 'v2', stale: true, reportedAt: T0 - 1, now: T0 + 600 }).paused).toBeNull();
  });

  it('a pause ends when the server answers differently for a page it covers, not before', () => {
    const paused = pause(EMPTY_GUARD, 'still-old', { [A]: 'v2' }, T0);
    expect(noteVerdict(paused, { url: A, viewId: 'v2', stale: true, reportedAt: T0 + 1, now: T0 + 1 }).paused).not.toBeNull();
    // Another page while paused joins the pause with its current answer…
    const joined = noteVerdict(paused, { url: B, viewId: 'w2', stale: false, reportedAt: T0 + 1, now: T0 + 1 });
    expect(joined.paused?.views).toEqual({ [A]: 'v2', [B]: 'w2' });
    // …and a new answer for either ends it.
    expect(noteVerdict(joined, { url: B, viewId: 'w3', stale: true, reportedAt: T0 + 2, now: T0 + 2 }).paused).toBeNull();
  });
});

describe('failures', () => {
  it('a failed fix is tried once more, a second failure pauses', () => {
    let r = attempt(EMPTY_GUARD, 'clear', A, 'v2', T0);
    let g = markFailed(r.guard, r.action!, T0 + 1);
    expect(decide(g, { kind: 'clear', url: A, viewId: 'v2', now: T0 + 2 })).toEqual({ act: true, retry: true });
    r = attempt(g, 'clear', A, 'v2', T0 + 2);
    g = markFailed(r.guard, r.action!, T0 + 3);
    expect(g.paused).toMatchObject({ reason: 'failed' });
    expect(decide(g, { kind: 'clear', url: A, viewId: 'v2', now: T0 + 4 })).toEqual({ act: false, why: 'paused' });
  });

  it('a failed action does not count as "fixed" for the check after acting', () => {
    const r = attempt(EMPTY_GUARD, 'clear', A, 'v2', T0);
    const g = markFailed(r.guard, r.action!, T0 + 1);
    expect(noteVerdict(g, { url: A, viewId: 'v2', stale: true, reportedAt: T0 + 10, now: T0 + 10 }).paused).toBeNull();
  });
});

describe('retention', () => {
  it('a guard with nothing in the last day and no pause is idle (dropped by the periodic check); a pause is kept', () => {
    const g = attempt(EMPTY_GUARD, 'clear', A, 'v2', T0).guard;
    expect(isIdle(g, T0 + WINDOW_MS)).toBe(false);
    expect(isIdle(g, T0 + MEMORY_MS)).toBe(true);
    expect(isIdle(pause(g, 'still-old', { [A]: 'v2' }, T0), T0 + 10 * WINDOW_MS)).toBe(false);
  });
});

describe('the backup to keep', () => {
  it('the first automatic clear that removes data is the one whose backup is pinned; a clear that kept the data does not count', () => {
    const first = claim(EMPTY_GUARD, { kind: 'clear', url: A, viewId: 'v2', now: T0 });
    expect(first.firstOfBurst).toBe(true);
    // Its backup failed: site data was kept.
    const kept = markDone(first.guard, first.action!, T0 + 10, { removedData: false });
    expect(removedDataWithin(kept, T0 + 20)).toBe(false);
    const second = claim(kept, { kind: 'clear', url: A, viewId: 'v3', now: T0 + 60_000 });
    expect(second.firstOfBurst).toBe(true);
    const removed = markDone(second.guard, second.action!, T0 + 60_010, { removedData: true });
    expect(claim(removed, { kind: 'clear', url: A, viewId: 'v4', now: T0 + 120_000 }).firstOfBurst).toBe(false);
    expect(claim(removed, { kind: 'clear', url: A, viewId: 'v5', now: T0 + 60_010 + MEMORY_MS }).firstOfBurst).toBe(true);
  });
});

describe('a day of memory', () => {
  it('the same server answer is not acted on again 16 minutes later (after the ceiling window)', () => {
    const g = attempt(EMPTY_GUARD, 'clear', A, 'v2', T0).guard;
    expect(decide(g, { kind: 'clear', url: A, viewId: 'v2', now: T0 + WINDOW_MS + 60_000 })).toEqual({ act: false, why: 'done' });
  });

  it('a second pause within a day is sticky: no server answer ends it, only the user', () => {
    let g = pause(EMPTY_GUARD, 'still-old', { [A]: 'v2' }, T0);
    g = noteVerdict(g, { url: A, viewId: 'v3', stale: true, reportedAt: T0 + 1, now: T0 + 1 });
    expect(g.paused).toBeNull();
    g = pause(g, 'still-old', { [A]: 'v3' }, T0 + 60_000);
    expect(g.paused).toMatchObject({ sticky: true });
    expect(noteVerdict(g, { url: A, viewId: 'v4', stale: true, reportedAt: T0 + 70_000, now: T0 + 70_000 }).paused).not.toBeNull();
    expect(resume(g).paused).toBeNull();
    // A pause a day after the last one is a first pause again.
    expect(pause(resume(g), 'ceiling', { [A]: 'v9' }, T0 + 60_000 + MEMORY_MS).paused?.sticky).toBeUndefined();
  });
});

describe('whatever the verdicts say (property)', () => {
  /** A stream of events for one site: verdicts on pages (with whatever answer ids a wrong detector makes up), time passing, failures. */
  const event = fc.oneof(
    fc.record({ t: fc.constant('verdict' as const), page: fc.constantFrom(A, B, `${A}x`), view: fc.constantFrom('v1', 'v2', 'v3', 'v4', 'v5'), stale: fc.boolean(), kind: fc.constantFrom<AutoKind>('reload', 'clear') }),
    fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 5 * 60_000 }) }),
    fc.record({ t: fc.constant('fail' as const) }),
  );

  it(`never more than ${CEILING} upgrades and ${CEILING * ATTEMPTS} actions in any window, never two successful ones for one page and answer`, () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 300 }), (events) => {
        let g = EMPTY_GUARD;
        let now = T0;
        let last: AutoAction | null = null;
        const taken: AutoAction[] = [];
        for (const e of events) {
          now += 1;
          if (e.t === 'wait') now += e.ms;
          else if (e.t === 'fail') {
            if (last) g = markFailed(g, last, now);
            const i = taken.indexOf(last!);
            if (i >= 0) taken[i] = { ...taken[i]!, outcome: 'failed' };
            last = null;
          } else {
            g = noteVerdict(g, { url: e.page, viewId: e.view, stale: e.stale, reportedAt: now, now });
            if (!e.stale) continue;
            const r = attempt(g, e.kind, e.page, e.view, now);
            g = r.guard;
            if (r.action) taken.push(r.action);
            last = r.action;
          }
        }
        for (const a of taken) {
          const inWindow = taken.filter((b) => b.at > a.at - WINDOW_MS && b.at <= a.at);
          expect(new Set(inWindow.map((b) => b.viewId)).size).toBeLessThanOrEqual(CEILING);
          expect(inWindow.length).toBeLessThanOrEqual(CEILING * ATTEMPTS);
          const twins = taken.filter((b) => b.viewId === a.viewId && b.url === a.url && b.outcome === 'done');
          expect(twins.length).toBeLessThanOrEqual(1);
          expect(taken.filter((b) => b.viewId === a.viewId && b.url === a.url).length).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 300 },
    );
  });
});
