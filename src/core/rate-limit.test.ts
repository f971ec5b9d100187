import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admitted } from './rate-limit';

describe('sliding-window limits over several counters', () => {
  it('admits up to the limit in a window, then refuses until the oldest leaves it', () => {
    let windows: number[][] = [[]];
    const at = (now: number) => {
      const r = admitted(windows, [2], now, 1000);
      windows = r.next;
      return r.ok;
    };
    expect([at(0), at(10), at(20), at(999), at(1000), at(1005), at(1011)]).toEqual([true, true, false, false, true, false, true]);
  });

  it('an event refused by one counter counts against none (the other is not used up by it)', () => {
    const r = admitted([[0, 1], []], [2, 5], 2, 1000);
    expect(r).toEqual({ ok: false, next: [[0, 1], []] });
  });

  it('property: no counter ever admits more than its limit within any window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(50), fc.boolean()), { maxLength: 300 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        (steps, perTab, perOrigin) => {
          const windowMs = 100;
          const windows: number[][] = [[], []];
          let now = 0;
          const admittedAt: number[][] = [[], []];
          for (const [gap, touchesTab] of steps) {
            now += gap;
            const keys = touchesTab ? [0, 1] : [1];
            const r = admitted(keys.map((k) => windows[k]!), keys.map((k) => [perTab, perOrigin][k]!), now, windowMs);
            keys.forEach((k, i) => (windows[k] = r.next[i]!));
            if (r.ok) keys.forEach((k) => admittedAt[k]!.push(now));
          }
          for (const [k, times] of admittedAt.entries()) {
            const limit = [perTab, perOrigin][k]!;
            for (const t of times) expect(times.filter((u) => u > t - windowMs && u <= t).length).toBeLessThanOrEqual(limit);
          }
        },
      ),
    );
  });
});
