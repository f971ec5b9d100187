import type { Origin } from './origin';

/** What is known of one backup without reading it. */
export interface SnapshotMeta {
  id: string;
  origin: Origin;
  takenAt: number;
  expiresAt: number;
  /** What it occupies: the text plus every binary part. */
  bytes: number;
  localStorageItems: number;
  databases: number;
  records: number;
  /** Its binary parts (Blobs, Files), stored one per entry. */
  parts: number;
  format: number;
  /** Set once Undo has put it back. */
  restoredAt: number | null;
  /**
   * Taken before the first automatic clear of a burst: what the user had before
   * Stalebuster acted on its own. Later automatic clears never push it out; it
   * goes when it expires (or by "Delete backups now").
   */
  pinned?: boolean;
  /** The storage partition it was taken in (a Firefox container, a private window); absent for the default one. */
  partition?: string;
}

export const UNDO_TTL_MS = 24 * 60 * 60 * 1000;
const UNDO_PER_ORIGIN = 3;
export const DEFAULT_UNDO_CAP_MB = 500;
export const UNDO_CAP_RANGE_MB = { min: 10, max: 10_000 } as const;
export const MB = 1024 * 1024;

/**
 * Which backups to keep: none past 24 hours; pinned ones (see SnapshotMeta.pinned)
 * until they expire; then the newest 3 per site and, newest first, as many as fit
 * in the size cap. `incoming` (a backup about to be stored) counts as the newest of
 * its site.
 */
export function retain(snapshots: readonly SnapshotMeta[], now: number, capBytes: number, incoming?: Pick<SnapshotMeta, 'origin' | 'bytes'>): { keep: SnapshotMeta[]; drop: SnapshotMeta[] } {
  const live = snapshots.filter((s) => s.expiresAt > now);
  const pinned = live.filter((s) => s.pinned);
  const newestFirst = live.filter((s) => !s.pinned).sort((a, b) => b.takenAt - a.takenAt);
  const keep: SnapshotMeta[] = [...pinned];
  const perOrigin = new Map<Origin, number>();
  let total = (incoming?.bytes ?? 0) + totalBytes(pinned);
  if (incoming) perOrigin.set(incoming.origin, 1);
  for (const s of newestFirst) {
    const count = perOrigin.get(s.origin) ?? 0;
    if (count >= UNDO_PER_ORIGIN || total + s.bytes > capBytes) continue;
    perOrigin.set(s.origin, count + 1);
    total += s.bytes;
    keep.push(s);
  }
  return { keep, drop: [...snapshots].sort((a, b) => b.takenAt - a.takenAt).filter((s) => !keep.includes(s)) };
}

/** The backup Undo offers for a site: its newest one not yet restored and not expired. */
/** The newest backup of `origin` in `partition` not yet put back: another container's is never offered. */
export function undoFor(snapshots: readonly SnapshotMeta[], origin: Origin, now: number, partition: string | null = null): SnapshotMeta | null {
  return (
    [...snapshots]
      .filter((s) => s.origin === origin && (s.partition ?? null) === partition && s.expiresAt > now && s.restoredAt === null)
      .sort((a, b) => b.takenAt - a.takenAt)[0] ?? null
  );
}

export function totalBytes(snapshots: readonly SnapshotMeta[]): number {
  return snapshots.reduce((n, s) => n + s.bytes, 0);
}
