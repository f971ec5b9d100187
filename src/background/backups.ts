/**
 * The backups Undo keeps: their index, their retention (24 hours at most, the
 * last 3 per site, within the size cap) and their deletion. The content lives
 * in platform/undo-store; taking one is background/backup, giving one back
 * background/undo.
 */
import { retain, MB, type SnapshotMeta } from '../core/undo-policy';
import { local, readSettings, serialised, updateLocal } from '../platform/storage';
import { deleteAllBackups, deleteBackup, storedBackupIds } from '../platform/undo-store';

/** The size cap of all backups together, from the settings. */
export async function capBytes(): Promise<number> {
  return (await readSettings()).settings.undoCapMb * MB;
}

async function snapshots(): Promise<SnapshotMeta[]> {
  return Object.values((await local.get('snapshots')) ?? {});
}

/**
 * Applies retention (24 hours, 3 per site, the size cap) and removes what an
 * interrupted backup left in the store. Every change to the index goes through
 * one queue, and chunks are deleted after their index entry.
 */
export async function pruneBackups(opts: { cap?: number } = {}): Promise<void> {
  const cap = opts.cap ?? (await capBytes());
  const dropped = await serialised('local:snapshots', async () => {
    const all = await snapshots();
    const { keep, drop } = retain(all, Date.now(), cap);
    if (drop.length > 0) await local.set('snapshots', Object.fromEntries(keep.map((s) => [s.id, s])));
    return drop.map((s) => s.id);
  });
  for (const id of dropped) await deleteBackup(id);
  const indexed = new Set((await snapshots()).map((s) => s.id));
  for (const id of await storedBackupIds()) if (!indexed.has(id) && !receiving.has(id)) await deleteBackup(id);
}

/**
 * Backups being received in this worker lifetime: their chunks are in the store
 * before their index entry, and must not be taken for leftovers. A worker that
 * dies mid-backup takes this set with it, and then they are leftovers.
 */
const receiving = new Set<string>();

/** `work` receives backup `id`: its chunks are not leftovers meanwhile. */
export async function whileReceiving<T>(id: string, work: () => Promise<T>): Promise<T> {
  receiving.add(id);
  try {
    return await work();
  } finally {
    receiving.delete(id);
  }
}

/** One backup, index and content: taken again (see clear-and-reload), it is not kept twice. */
export async function dropBackup(id: string): Promise<void> {
  await updateLocal('snapshots', {}, (all) => Object.fromEntries(Object.entries(all).filter(([key]) => key !== id)));
  await deleteBackup(id);
}

/** "Delete backups now": every finished backup, index and content. One being taken right now finishes. */
export async function deleteBackups(): Promise<void> {
  await updateLocal('snapshots', {}, () => ({}));
  if (receiving.size === 0) {
    await deleteAllBackups();
    return;
  }
  for (const id of await storedBackupIds()) if (!receiving.has(id)) await deleteBackup(id);
}
