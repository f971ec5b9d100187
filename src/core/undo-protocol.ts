/**
 * How a backup travels between the page agent (content/undo-agent) and the
 * background, over one runtime Port per backup or restore. Text and binary
 * parts go in chunks: Chromium's extension messaging is JSON-only and refuses
 * messages over 64 MiB, so binary parts travel as base64.
 */

const CHUNK_CHARS = 4 * 1024 * 1024;

/** Bumped when the backup encoding changes (core/snapshot-format); a backup of another format is not restored. */
export const SNAPSHOT_FORMAT = 1;

/**
 * How binary parts travel (see platform/compat.backupTransport): as Blobs where
 * ports structured-clone (Firefox), as object URLs the background fetches where
 * it may (Chromium), else as base64 in chunks.
 */
export type Transport = 'blob' | 'blob-url' | 'base64';

import { toBase64 } from './base64';
import type { SiteDigest } from './site-digest';

export type BackupMessage =
  /** `digest`: the page's fingerprint of what it holds, checked against the stored backup (core/site-digest). */
  | { t: 'head'; parts: number; bytes: number; localStorageItems: number; databases: number; records: number; digest?: SiteDigest }
  | { t: 'text'; chunk: string }
  /** One chunk of binary part `index` (base64); `last` closes the part. */
  | { t: 'part'; index: number; chunk: string; last: boolean }
  | { t: 'part-blob'; index: number; blob: Blob }
  /** An object URL of the page's origin holding part `index`, valid until the backup is answered. */
  | { t: 'part-url'; index: number; url: string }
  | { t: 'end' }
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

/**
 * A Blob as base64 chunks of at most CHUNK_CHARS, read a slice at a time (a
 * 2 GB file never sits in memory as one string; Chromium refuses a message over
 * 64 MiB, and base64 makes 4 bytes of 3). An empty Blob is one empty chunk.
 */
export async function* base64Chunks(blob: Blob): AsyncGenerator<{ chunk: string; last: boolean }> {
  const step = (CHUNK_CHARS / 4) * 3;
  for (let at = 0; at < blob.size || at === 0; at += step) {
    yield { chunk: toBase64(new Uint8Array(await blob.slice(at, at + step).arrayBuffer())), last: at + step >= blob.size };
    if (blob.size === 0) return;
  }
}
