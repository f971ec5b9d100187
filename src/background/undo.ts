/**
 * Undo for Clear & reload: before site data is removed, the page agent backs up
 * the origin's localStorage and IndexedDB into the extension's own storage;
 * Undo puts it back. Backups stay on this machine, 24 hours at most, the last 3
 * per site, within a size cap; code caches, service workers and the HTTP cache
 * are never backed up or restored (that would bring the stale app back).
 */
import type { UndoResult } from '../core/messages';
import type { Origin } from '../core/origin';
import { digestDifference, digestSite, type SiteDigest } from '../core/site-digest';
import { decodeDump } from '../core/snapshot-format';
import { MB, UNDO_TTL_MS, retain, type SnapshotMeta } from '../core/undo-policy';
import {
  RESTORE_PORT, SNAPSHOT_FORMAT, SNAPSHOT_PORT, chunks,
  type AgentRestoreResult, type AgentSnapshotResult, type BackupMessage, type BackupReply, type RestoreReply,
} from '../core/undo-protocol';
import type { Runtime } from '../platform/browser';
import { TabGoneError, inTabOf, tabSettledOn, whilePageStays } from '../platform/clear';
import { hasHostAccess } from '../platform/permissions';
import { local, readSettings, serialised, updateLocal } from '../platform/storage';
import { openTab, tabPartition, tabsByOrigin } from '../platform/tabs';
import { expectPort, runAgent } from '../platform/undo-ports';
import { pauseSite, type SitePause } from './site-pause';
import { deleteAllBackups, deleteBackup, putPart, putText, readBackup, storedBackupIds } from '../platform/undo-store';

export type BackupOutcome =
  | { kind: 'stored'; meta: SnapshotMeta }
  | { kind: 'empty' }
  | { kind: 'over-cap'; bytes: number; capBytes: number }
  | { kind: 'failed'; error: string };

async function capBytes(): Promise<number> {
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

/**
 * Receives one backup over its Port and stores it chunk by chunk. The index
 * entry is written last: until then the backup does not exist for Undo. A page
 * that sends more than the cap allowed is cut off (it decided the size itself).
 */
/** What a backup is tagged with besides its content (see SnapshotMeta). */
type BackupTags = Pick<SnapshotMeta, 'pinned' | 'partition'>;

function receive(port: Runtime.Port, id: string, origin: Origin, cap: number, tags: BackupTags): Promise<SnapshotMeta> {
  return new Promise((resolve, reject) => {
    let head: Extract<BackupMessage, { t: 'head' }> | null = null;
    /** The fingerprint of what was stored, taken once the page said everything was sent. */
    let storedDigest: SiteDigest | null = null;
    let textSeq = 0;
    let received = 0;
    const partSeq: number[] = [];
    let chain = Promise.resolve();
    let finished = false;
    const fail = (error: unknown) => {
      if (finished) return;
      finished = true;
      const detail = error instanceof Error ? error.message : String(error);
      try {
        port.postMessage({ t: 'failed', error: detail } satisfies BackupReply);
      } catch {
        // The page went away first.
      }
      reject(new Error(detail));
    };
    const handle = async (m: BackupMessage): Promise<unknown> => {
      if (m.t === 'progress') return; // the page is still reading: its message alone keeps this worker alive
      if (m.t === 'head') {
        head = m;
        return;
      }
      if (!head) throw new Error('the backup did not start with its description');
      if (m.t === 'sent') {
        storedDigest = await digestStored(id, head);
        return;
      }
      if (m.t === 'end') {
        // No wipe without a verified backup: what was stored must decode to what the page holds.
        if (!m.digest) throw new Error('the page sent no fingerprint of its data');
        if (!storedDigest) throw new Error('the page sent its fingerprint before its data');
        const difference = digestDifference(m.digest, storedDigest);
        if (difference) throw new Error(`the backup could not keep everything (${difference})`);
        const takenAt = Date.now();
        const meta: SnapshotMeta = {
          id, origin, takenAt, expiresAt: takenAt + UNDO_TTL_MS, bytes: head.bytes,
          localStorageItems: head.localStorageItems, databases: head.databases, records: head.records,
          parts: head.parts, format: SNAPSHOT_FORMAT, restoredAt: null,
          ...(tags.pinned ? { pinned: true } : {}), ...(tags.partition ? { partition: tags.partition } : {}),
        };
        await updateLocal('snapshots', {}, (all) => ({ ...all, [id]: meta }));
        finished = true;
        port.postMessage({ t: 'stored' } satisfies BackupReply);
        resolve(meta);
        return;
      }
      if (m.t === 'text') {
        if (typeof m.chunk !== 'string') throw new Error('a text chunk that is not text');
        received += m.chunk.length;
      } else if (m.t === 'part') {
        if (!(m.blob instanceof Blob)) throw new Error('a part that is not binary');
        received += m.blob.size;
      } else throw new Error('a message the backup protocol does not have');
      if (received > cap * 1.4 + MB) throw new Error('the page sent more than it announced');
      if (m.t === 'text') return putText(id, textSeq++, m.chunk);
      if (!Number.isInteger(m.index) || m.index < 0 || m.index >= head.parts) throw new Error('a part out of range');
      const seq = (partSeq[m.index] = (partSeq[m.index] ?? -1) + 1);
      return putPart(id, m.index, seq, m.blob);
    };
    port.onMessage.addListener((message: unknown) => {
      chain = chain.then(async () => void (finished ? undefined : await handle(message as BackupMessage))).catch(fail);
    });
    port.onDisconnect.addListener(() => fail(new Error('the page closed the connection before the backup was complete')));
  });
}

/**
 * Reads the stored backup back, decodes it as Undo would, and fingerprints it
 * the way the page fingerprints its own objects; the two must agree before the
 * backup counts. A backup from an agent that sends no fingerprint is not trusted.
 */
async function digestStored(id: string, head: Extract<BackupMessage, { t: 'head' }>): Promise<SiteDigest> {
  const { text, parts } = await readBackup(id);
  if (parts.length !== head.parts) throw new Error('a part of the backup is missing');
  const decoded = decodeDump(text.join(''), parts.map((pieces) => new Blob(pieces)));
  return digestSite(decoded, head.hashing === 'fnv' ? 'fnv' : 'sha256');
}

/**
 * Backs up the tab's origin before its site data is removed. Never removes
 * anything itself; the caller decides from the outcome. A site with nothing in
 * it needs no backup, so an empty site never pushes a real backup out of Undo.
 */
/** `pinned`: the backup before the first automatic clear of a burst (see SnapshotMeta.pinned). */
export async function backUp(tabId: number, origin: Origin, opts: { pinned?: boolean } = {}): Promise<BackupOutcome> {
  const cap = await capBytes();
  const token = crypto.randomUUID();
  const id = `${Date.now().toString(36)}-${token.slice(0, 8)}`;
  // The partition it is taken in is the one Undo may put it back into (never another container).
  const partition = await tabPartition(tabId);
  if (partition === undefined) throw new TabGoneError(tabId);
  receiving.add(id);
  try {
    return await takeBackup(tabId, origin, id, token, cap, { pinned: opts.pinned === true, ...(partition ? { partition } : {}) });
  } finally {
    receiving.delete(id);
  }
}

/** `work`, or an error once `ms` have passed; the timer never outlives it. */
async function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A backup that has not been stored by then has failed, and the clear keeps the
 * site's data: a page that stalls mid-backup must not hold the clear forever.
 * Under five minutes: Chromium ends an extension service worker whose single
 * event or request runs longer than that ("The extension service worker
 * lifecycle", developer.chrome.com), and work cut off by that is lost with it.
 * Reading a large site takes about 400 ms per 50 MB here, so this covers gigabytes.
 */
const BACKUP_TIMEOUT_MS = 4 * 60_000 + 30_000;

async function takeBackup(tabId: number, origin: Origin, id: string, token: string, cap: number, tags: BackupTags): Promise<BackupOutcome> {
  // The page connects once it has read the whole site, which can take minutes for gigabytes.
  const expectation = expectPort(SNAPSHOT_PORT + token, tabId, origin, BACKUP_TIMEOUT_MS);
  let connected: Runtime.Port | null = null;
  const stored = expectation.port.then((port) => {
    connected = port;
    return receive(port, id, origin, cap, tags);
  });
  stored.catch(() => undefined);
  let agent: AgentSnapshotResult | null;
  try {
    agent = await withDeadline(
      Promise.race([
        inTabOf(tabId, origin, async () => {
          // Nothing back means the call never completed in that document (it was replaced while the
          // call ran); told apart from a tab that shows another site, so a report says which.
          const answer = await runAgent<AgentSnapshotResult>(tabId, 'snapshot', [origin, token, cap]);
          if (!answer) throw new Error('the page agent gave no answer (the document changed while it ran)');
          return answer;
        }),
        // Once every part is stored the backup is complete, whatever became of the page that sent it.
        // (A failure is the agent's to explain: over the cap, the page gone.)
        stored.then((meta): AgentSnapshotResult => ({ ok: true, empty: false, bytes: meta.bytes }), () => new Promise<never>(() => undefined)),
      ]),
      BACKUP_TIMEOUT_MS,
      'the backup did not finish in time',
    );
  } catch (e) {
    expectation.cancel();
    (connected as Runtime.Port | null)?.disconnect();
    if (e instanceof TabGoneError) throw e;
    await deleteBackup(id);
    return { kind: 'failed', error: e instanceof Error ? e.message : String(e) };
  }
  if (!agent || !agent.ok || agent.empty) {
    expectation.cancel();
    await stored.catch(() => undefined);
    await deleteBackup(id);
    if (!agent) return { kind: 'failed', error: 'the tab no longer shows the site' };
    if (agent.ok) return { kind: 'empty' };
    if (agent.error === 'over-cap') return { kind: 'over-cap', bytes: agent.bytes ?? 0, capBytes: cap };
    return { kind: 'failed', error: agent.detail ?? agent.error };
  }
  try {
    const meta = await stored;
    // Older backups make room for this one; the reload need not wait for that.
    void pruneBackups({ cap }).catch((e) => console.warn('Stalebuster: could not prune backups:', e));
    return { kind: 'stored', meta };
  } catch (e) {
    await deleteBackup(id);
    return { kind: 'failed', error: e instanceof Error ? e.message : String(e) };
  }
}

/** Sends a stored backup to the page agent over its Port. */
async function send(port: Runtime.Port, meta: SnapshotMeta): Promise<void> {
  const { text, parts } = await readBackup(meta.id);
  const post = (m: BackupMessage) => port.postMessage(m);
  post({ t: 'head', parts: meta.parts, bytes: meta.bytes, localStorageItems: meta.localStorageItems, databases: meta.databases, records: meta.records });
  for (const chunk of chunks(text.join(''))) post({ t: 'text', chunk });
  for (let index = 0; index < meta.parts; index++) {
    const pieces = parts[index] ?? [];
    if (pieces.length === 0) throw new Error(`backup part ${index} is missing`);
    // By reference, as the page sent them: a 100 MB Blob is one small message.
    for (const blob of pieces) post({ t: 'part', index, blob });
  }
  post({ t: 'end' });
}

/**
 * However large the backup, a restore that has not finished by then has failed
 * (the pause ends, the tabs reload): under the worker's five-minute limit, as above.
 */
const RESTORE_TIMEOUT_MS = 4 * 60_000 + 30_000;

async function restoreInto(tabId: number, meta: SnapshotMeta): Promise<AgentRestoreResult> {
  const token = crypto.randomUUID();
  const expectation = expectPort(RESTORE_PORT + token, tabId, meta.origin);
  let connected: Runtime.Port | null = null;
  const streaming = expectation.port.then(async (port) => {
    connected = port;
    const reply = new Promise<RestoreReply>((resolve) =>
      port.onMessage.addListener((m: unknown) => {
        if ((m as RestoreReply).t !== 'progress') resolve(m as RestoreReply);
      }),
    );
    try {
      await send(port, meta);
    } catch (e) {
      // The agent is waiting for the rest: closing the connection ends its wait with an error.
      port.disconnect();
      throw e;
    }
    return reply;
  });
  streaming.catch(() => undefined);
  try {
    const result = await withDeadline(
      whilePageStays(tabId, runAgent<AgentRestoreResult>(tabId, 'restore', [meta.origin, token])),
      RESTORE_TIMEOUT_MS,
      'the restore did not finish in time',
    );
    if (!result || !result.ok) expectation.cancel();
    return result ?? { ok: false, error: 'no-agent' };
  } catch (e) {
    expectation.cancel();
    (connected as Runtime.Port | null)?.disconnect();
    throw e;
  }
}

/** Origins with an Undo running in this worker lifetime (an Undo does not outlive its worker). */
const undoing = new Set<Origin>();

/**
 * Puts a backup back. The site's tabs are reloaded once with their scripts
 * paused (so the running app holds no database open and writes nothing
 * meanwhile), the backup replaces whatever the app wrote since the clear, and
 * the tabs reload normally onto the restored data. Service workers, Cache
 * Storage and the HTTP cache are not part of any backup.
 */
export async function undo(snapshotId: string, preferredTabId?: number): Promise<UndoResult> {
  const meta = (await local.get('snapshots'))?.[snapshotId];
  if (!meta || meta.expiresAt <= Date.now() || meta.format !== SNAPSHOT_FORMAT) return { ok: false, error: 'gone' };
  if (!(await hasHostAccess(meta.origin))) return { ok: false, error: 'no-permission' };
  // Checked and claimed in one step (no await between): a second press waits for nothing and is refused.
  if (undoing.has(meta.origin)) return { ok: false, error: 'busy' };
  undoing.add(meta.origin);
  try {
    return await restoreSite(meta, preferredTabId);
  } finally {
    undoing.delete(meta.origin);
  }
}

async function restoreSite(meta: SnapshotMeta, preferredTabId?: number): Promise<UndoResult> {
  // Only into the partition it came from: a container's backup never overwrites the default one's data.
  const partition = meta.partition ?? null;
  let tabs = (await tabsByOrigin(partition)).get(meta.origin) ?? [];
  if (tabs.length === 0 && partition !== null) return { ok: false, error: 'other-partition' };
  if (tabs.length === 0) tabs = [await openTab(`${meta.origin}/`)];
  const target = preferredTabId !== undefined && tabs.includes(preferredTabId) ? preferredTabId : tabs[0]!;

  let result: AgentRestoreResult;
  let pause: SitePause | null = null;
  const t0 = performance.now();
  let t1: number;
  let t2: number;
  try {
    if (!(await tabSettledOn(target, meta.origin))) return { ok: false, error: 'tab-closed' };
    pause = await pauseSite(meta.origin, target, partition);
    t1 = performance.now();
    result = await restoreInto(target, meta);
    t2 = performance.now();
  } catch (e) {
    if (e instanceof TabGoneError) return { ok: false, error: 'tab-closed' };
    return { ok: false, error: 'failed', detail: e instanceof Error ? e.message : String(e) };
  } finally {
    await pause?.lift();
  }
  const phases = { pause: Math.round(t1 - t0), restore: Math.round(t2 - t1), reload: Math.round(performance.now() - t2) };
  if (!result.ok) return { ok: false, error: result.error === 'blocked' ? 'blocked' : 'failed', detail: result.detail ?? result.error };
  const restoredAt = Date.now();
  await updateLocal('snapshots', {}, (all) => (all[meta.id] ? { ...all, [meta.id]: { ...all[meta.id]!, restoredAt } } : all));
  return { ok: true, origin: meta.origin, databases: result.databases, records: result.records, localStorageItems: result.localStorageItems, restoredAt, phases };
}
