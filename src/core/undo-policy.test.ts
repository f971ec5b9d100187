import { describe, expect, it } from 'vitest';
import { MB, UNDO_TTL_MS, retain, totalBytes, undoFor, type SnapshotMeta } from './undo-policy';

const snap = (id: string, origin: string, takenAt: number, bytes = MB, restoredAt: number | null = null): SnapshotMeta => ({
  id, origin, takenAt, expiresAt: takenAt + UNDO_TTL_MS, bytes, localStorageItems: 1, databases: 1, records: 1, parts: 0, format: 1, restoredAt,
});
const A = 'http://localhost:7860';
const B = 'http://localhost:8501';

describe('retain', () => {
  it('drops what is past 24 hours', () => {
    const now = 10 * UNDO_TTL_MS;
    const { keep, drop } = retain([snap('old', A, now - UNDO_TTL_MS - 1), snap('new', A, now - 1)], now, 500 * MB);
    expect([keep.map((s) => s.id), drop.map((s) => s.id)]).toEqual([['new'], ['old']]);
  });

  it('keeps the newest 3 per site, counting one about to be stored', () => {
    const all = [1, 2, 3, 4].map((i) => snap(`a${i}`, A, i)).concat(snap('b1', B, 1));
    expect(retain(all, 5, 500 * MB).keep.map((s) => s.id).sort()).toEqual(['a2', 'a3', 'a4', 'b1']);
    expect(retain(all, 5, 500 * MB, { origin: A, bytes: MB }).keep.map((s) => s.id).sort()).toEqual(['a3', 'a4', 'b1']);
  });

  it('fits the cap newest first, across sites', () => {
    const all = [snap('a', A, 1, 4 * MB), snap('b', B, 2, 4 * MB), snap('c', A, 3, 4 * MB)];
    const { keep } = retain(all, 4, 10 * MB);
    expect(keep.map((s) => s.id)).toEqual(['c', 'b']);
    expect(totalBytes(keep)).toBe(8 * MB);
  });
});

describe('undoFor', () => {
  it('offers the newest backup of the site not yet restored or expired', () => {
    const now = 100;
    expect(undoFor([snap('a1', A, 1), snap('a2', A, 2), snap('b', B, 3)], A, now)?.id).toBe('a2');
    expect(undoFor([snap('a1', A, 1), snap('a2', A, 2, MB, 50)], A, now)?.id).toBe('a1');
    expect(undoFor([snap('a1', A, 1)], A, 1 + UNDO_TTL_MS)).toBeNull();
  });
});
