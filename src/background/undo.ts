/**
 * Undo for Clear & reload: puts a kept backup (background/backup,
 * background/backups) back into the site it was taken from, in the storage
 * partition it was taken in, with the site's tabs paused meanwhile.
 */
import type { UndoResult } from '../core/messages';
import type { Origin } from '../core/origin';
import type { SnapshotMeta } from '../core/undo-policy';
import { RESTORE_PORT, SNAPSHOT_FORMAT, chunks, type AgentRestoreResult, type BackupMessage, type RestoreReply } from '../core/undo-protocol';
import type { Runtime } from '../platform/browser';
import { TabGoneError, tabSettledOn, whilePageStays } from '../platform/clear';
import { hasHostAccess } from '../platform/permissions';
import { local, updateLocal } from '../platform/storage';
import { openTab, tabsByOrigin } from '../platform/tabs';
import { expectPort, runAgent } from '../platform/undo-ports';
import { readBackup } from '../platform/undo-store';
import { WORKER_WORK_MS, withDeadline } from './deadline';
import { pauseSite, type SitePause } from './site-pause';

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
 * (the pause ends, the tabs reload): under the worker's five-minute limit.
 */
const RESTORE_TIMEOUT_MS = WORKER_WORK_MS;

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
