/**
 * Taking a backup before Clear & reload removes site data: the page agent
 * (content/undo-agent) reads the origin's localStorage and IndexedDB and sends
 * it over a Port; it is stored in the extension's own IndexedDB and counts only
 * once it is proven to give back what the page holds. Never removes anything
 * itself: the caller decides from the outcome. Code caches, service workers and
 * the HTTP cache are never backed up (that would bring the stale app back).
 */
import type { Origin } from '../core/origin';
import type { BackupSteps } from '../core/clear-report';
import { digestDifference, digestSite, type SiteDigest } from '../core/site-digest';
import { decodeDump } from '../core/snapshot-format';
import { MB, UNDO_TTL_MS, type SnapshotMeta } from '../core/undo-policy';
import { SNAPSHOT_FORMAT, SNAPSHOT_PORT, type AgentSnapshotResult, type BackupMessage, type BackupReply } from '../core/undo-protocol';
import type { Runtime } from '../platform/browser';
import { TabGoneError, inTabOf } from '../platform/clear';
import { updateLocal } from '../platform/storage';
import { tabPartition } from '../platform/tabs';
import { expectPort, runAgent } from '../platform/undo-ports';
import { deleteBackup, putPart, putText, readBackup } from '../platform/undo-store';
import { capBytes, dropBackup, pruneBackups, whileReceiving } from './backups';
import { WORKER_WORK_MS, withDeadline } from './deadline';

export type BackupOutcome =
  | { kind: 'stored'; meta: SnapshotMeta; steps: BackupSteps }
  | { kind: 'empty' }
  | { kind: 'over-cap'; bytes: number; capBytes: number }
  | { kind: 'failed'; error: string };

/** What a backup is tagged with besides its content (see SnapshotMeta). */
type BackupTags = Pick<SnapshotMeta, 'pinned' | 'partition'>;

/**
 * Receives one backup over its Port and stores it chunk by chunk. The index
 * entry is written last: until then the backup does not exist for Undo. A page
 * that sends more than the cap allowed is cut off (it decided the size itself).
 * After 'sent' nothing more is taken: what is compared at 'end' is exactly what
 * was stored. `abort` ends it from this side (closing our own end of a Port
 * fires nothing here); a write already under way may land after: a chunk is
 * then a leftover, which pruning removes, and an index entry is dropped by
 * takeBackup where it reports the backup failed (dropBackup, after the abort).
 */
interface Receiving {
  done: Promise<{ meta: SnapshotMeta; steps: BackupSteps }>;
  abort(reason: string): void;
}

function receive(port: Runtime.Port, id: string, origin: Origin, cap: number, tags: BackupTags): Receiving {
  const connectedAt = performance.now();
  /** When the head, 'sent' and 'end' arrived, when everything was stored, and when its fingerprint was done. */
  const at = { head: connectedAt, sent: connectedAt, end: connectedAt, stored: connectedAt, storedDigest: connectedAt };
  let abort: (reason: string) => void = () => undefined;
  const done = new Promise<{ meta: SnapshotMeta; steps: BackupSteps }>((resolve, reject) => {
    let head: Extract<BackupMessage, { t: 'head' }> | null = null;
    /** The fingerprint of what was stored, taken once the page said everything was sent; nothing is taken after. */
    let storedDigest: SiteDigest | null = null;
    let sealed = false;
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
    abort = (reason) => fail(new Error(reason));
    const handle = async (m: BackupMessage): Promise<unknown> => {
      if (m.t === 'progress') return; // the page is still reading: its message alone keeps this worker alive
      if (m.t !== 'end' && sealed) throw new Error('the page sent more after saying it had sent everything');
      if (m.t === 'head') {
        if (head) throw new Error('the backup was described twice');
        head = m;
        return;
      }
      if (!head) throw new Error('the backup did not start with its description');
      if (m.t === 'sent') {
        sealed = true;
        // Handled in turn: every chunk and part before it is stored.
        at.stored = performance.now();
        storedDigest = await digestStored(id, head);
        at.storedDigest = performance.now();
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
        const ms = Math.round;
        resolve({
          meta,
          steps: {
            read: ms(at.head - connectedAt), send: ms(at.sent - at.head), store: ms(at.stored - at.sent),
            pageFingerprint: ms(at.end - at.sent), storedFingerprint: ms(at.storedDigest - at.stored),
          },
        });
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
      // On arrival, not when handled: 'end' waits in the chain behind the stored backup's fingerprint.
      const kind = (message as { t?: unknown } | null)?.t;
      if (kind === 'head' || kind === 'sent' || kind === 'end') at[kind] = performance.now();
      chain = chain.then(async () => void (finished ? undefined : await handle(message as BackupMessage))).catch(fail);
    });
    port.onDisconnect.addListener(() => fail(new Error('the page closed the connection before the backup was complete')));
  });
  return { done, abort };
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
  return whileReceiving(id, () => takeBackup(tabId, origin, id, token, cap, { pinned: opts.pinned === true, ...(partition ? { partition } : {}) }));
}

/**
 * A backup that has not been stored by then has failed, and the clear keeps the
 * site's data: a page that stalls mid-backup must not hold the clear forever.
 * Reading a large site takes about 400 ms per 50 MB here, so this covers gigabytes.
 */
const BACKUP_TIMEOUT_MS = WORKER_WORK_MS;

async function takeBackup(tabId: number, origin: Origin, id: string, token: string, cap: number, tags: BackupTags): Promise<BackupOutcome> {
  // The page connects once it has read the whole site, which can take minutes for gigabytes.
  const expectation = expectPort(SNAPSHOT_PORT + token, tabId, origin, BACKUP_TIMEOUT_MS);
  let connected: Runtime.Port | null = null;
  let receiving: Receiving | null = null;
  const stored = expectation.port.then((port) => {
    connected = port;
    receiving = receive(port, id, origin, cap, tags);
    return receiving.done;
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
        stored.then(({ meta }): AgentSnapshotResult => ({ ok: true, empty: false, bytes: meta.bytes }), () => new Promise<never>(() => undefined)),
      ]),
      BACKUP_TIMEOUT_MS,
      'the backup did not finish in time',
    );
  } catch (e) {
    expectation.cancel();
    (receiving as Receiving | null)?.abort('the backup was given up');
    (connected as Runtime.Port | null)?.disconnect();
    if (e instanceof TabGoneError) throw e;
    // Index too: an 'end' being handled when it was given up may still write its entry.
    await dropBackup(id);
    return { kind: 'failed', error: e instanceof Error ? e.message : String(e) };
  }
  if (!agent || !agent.ok || agent.empty) {
    expectation.cancel();
    (receiving as Receiving | null)?.abort('the page agent ended the backup');
    await stored.catch(() => undefined);
    await dropBackup(id);
    if (!agent) return { kind: 'failed', error: 'the tab no longer shows the site' };
    if (agent.ok) return { kind: 'empty' };
    if (agent.error === 'over-cap') return { kind: 'over-cap', bytes: agent.bytes ?? 0, capBytes: cap };
    return { kind: 'failed', error: agent.detail ?? agent.error };
  }
  try {
    const { meta, steps } = await stored;
    // Older backups make room for this one; the reload need not wait for that.
    void pruneBackups({ cap }).catch((e) => console.warn('Stalebuster: could not prune backups:', e));
    return { kind: 'stored', meta, steps };
  } catch (e) {
    await deleteBackup(id);
    return { kind: 'failed', error: e instanceof Error ? e.message : String(e) };
  }
}
