import type { Fingerprint } from '../core/fingerprint';
import type { VersionCheck } from '../core/messages';
import type { Origin } from '../core/origin';
import { local, updateLocal, type StoredFingerprint } from '../platform/storage';
import type { ServerView } from '../core/staleness';
import { fetchFingerprint, fingerprintOf } from './fetch-fingerprint';

const inflight = new Map<Origin, Promise<VersionCheck>>();

/** The app and version the server reports now; one fetch per origin at a time. */
export function checkVersion(origin: Origin): Promise<VersionCheck> {
  let pending = inflight.get(origin);
  if (!pending) {
    pending = fetchFingerprint(origin).finally(() => inflight.delete(origin));
    inflight.set(origin, pending);
  }
  return pending;
}

export async function storedFingerprint(origin: Origin): Promise<StoredFingerprint | undefined> {
  return (await local.get('fingerprints'))?.[origin];
}

/** Sites whose last version is kept (the most recently checked): the map lives in local storage, for good. */
export const MAX_FINGERPRINTS = 200;

export async function storeFingerprint(origin: Origin, fingerprint: Fingerprint): Promise<void> {
  await updateLocal('fingerprints', {}, (m) => {
    const next = { ...m, [origin]: { ...fingerprint, checkedAt: Date.now() } };
    const newest = Object.entries(next).sort(([, a], [, b]) => b.checkedAt - a.checkedAt).slice(0, MAX_FINGERPRINTS);
    return Object.fromEntries(newest);
  });
}

/**
 * Names an upgrade: the version the server reports now and, when an earlier
 * check recorded a different build, the version recorded then.
 */
export async function describeUpgrade(origin: Origin, view: Extract<ServerView, { ok: true }>): Promise<{ from: string | null; to: string | null; fingerprint: Fingerprint | null }> {
  const [before, now] = await Promise.all([storedFingerprint(origin), fingerprintOf(origin, view)]);
  if (!now.ok) return { from: null, to: null, fingerprint: null };
  await storeFingerprint(origin, now.fingerprint);
  const from = before && before.id !== now.fingerprint.id ? before.version : null;
  return { from, to: now.fingerprint.version, fingerprint: now.fingerprint };
}
