/**
 * How a backup travels between the page agent (content/undo-agent) and the
 * background, over one runtime Port per backup or restore. Ports structured-
 * clone in both browsers (Firefox always; Chromium 148+ because the manifest
 * asks for it, see manifest.config.ts), so binary parts travel as the Blobs they
 * are, by reference, whatever their size. Text goes in chunks: Chromium refuses
 * a message over 64 MiB.
 */

const CHUNK_CHARS = 4 * 1024 * 1024;

/** Bumped when the backup encoding changes (core/snapshot-format); a backup of another format is not restored. */
export const SNAPSHOT_FORMAT = 1;

import type { SiteDigest } from './site-digest';

export type BackupMessage =
  /** `hashing` (a backup's): how the page hashes bytes for its fingerprint, so the background hashes what it stored alike. */
  | { t: 'head'; parts: number; bytes: number; localStorageItems: number; databases: number; records: number; hashing?: SiteDigest['bytes'] }
  | { t: 'text'; chunk: string }
  /** Binary part `index`, or the next piece of it (a restore sends each stored piece). */
  | { t: 'part'; index: number; blob: Blob }
  /**
   * A backup: everything is sent. The page then fingerprints what it holds while the background
   * stores and fingerprints what it received (they took 0.7 s each for 50 MB, one after the other,
   * before); `end` brings the page's fingerprint, checked against the stored backup (core/site-digest).
   */
  | { t: 'sent' }
  | { t: 'end'; digest?: SiteDigest }
  /** Still working (reading, encoding, writing): see KEEP_ALIVE_MS. */
  | { t: 'progress' };

/**
 * How often the page agent says it is still working. A message on the Port
 * keeps the background alive through minutes of reading or writing: Firefox
 * ends an idle event page after 30 s, and Chromium an idle service worker
 * after 30 s (each extension event or message resets that timer).
 */
export const KEEP_ALIVE_MS = 5_000;

export type BackupReply = { t: 'stored' } | { t: 'failed'; error: string };
export type RestoreReply = { t: 'restored'; databases: number; records: number; localStorageItems: number } | { t: 'failed'; error: string } | { t: 'progress' };

export const SNAPSHOT_PORT = 'undo-snapshot:';
export const RESTORE_PORT = 'undo-restore:';

/** What the agent answers the background's executeScript call with. */
export type AgentSnapshotResult =
  | { ok: true; empty: true }
  | { ok: true; empty: false; bytes: number }
  | { ok: false; error: 'navigated' | 'no-agent' | 'over-cap' | 'read-failed' | 'send-failed'; bytes?: number; detail?: string };

export type AgentRestoreResult =
  | { ok: true; databases: number; records: number; localStorageItems: number }
  | { ok: false; error: 'navigated' | 'no-agent' | 'blocked' | 'write-failed'; detail?: string };

export function chunks(text: string, size = CHUNK_CHARS): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
