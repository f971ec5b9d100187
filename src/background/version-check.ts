import type { Fingerprint } from '../core/fingerprint';
import type { VersionCheck } from '../core/messages';
import { appBase, siteKey, type AppPath } from '../core/app-path';
import type { Origin } from '../core/origin';
import { local, updateLocal, type StoredFingerprint } from '../platform/storage';
import type { ServerView } from '../core/staleness';
import { fetchFingerprint, fingerprintOf } from './fetch-fingerprint';

const inflight = new Map<string, Promise<VersionCheck>>();

/** The app and version the server reports now; one fetch per site at a time. */
export function checkVersion(origin: Origin, path: AppPath | null = null): Promise<VersionCheck> {
  const key = siteKey(origin, path);
  let pending = inflight.get(key);
  if (!pending) {
    pending = fetchFingerprint(appBase(origin, path)).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}

/** `key`: see core/app-path siteKey. */
export async function storedFingerprint(key: string): Promise<StoredFingerprint | undefined> {
  return (await local.get('fingerprints'))?.[key];
}

/** Sites whose last version is kept (the most recently checked): the map lives in local storage, for good. */
export const MAX_FINGERPRINTS = 200;

export async function storeFingerprint(key: string, fingerprint: Fingerprint): Promise<void> {
  await updateLocal('fingerprints', {}, (m) => {
    const next = { ...m, [key]: { ...fingerprint, checkedAt: Date.now() } };
    const newest = Object.entries(next).sort(([, a], [, b]) => b.checkedAt - a.checkedAt).slice(0, MAX_FINGERPRINTS);
    return Object.fromEntries(newest);
  });
}

/**
 * Names an upgrade: the version the server reports now and, when an earlier
 * check recorded a different build, the version recorded then.
 */
export async function describeUpgrade(
  origin: Origin,
  path: AppPath | null,
  view: Extract<ServerView, { ok: true }>,
): Promise<{ from: string | null; to: string | null; fingerprint: Fingerprint | null }> {
  const key = siteKey(origin, path);
  const [before, now] = await Promise.all([storedFingerprint(key), fingerprintOf(appBase(origin, path), view)]);
  if (!now.ok) return { from: null, to: null, fingerprint: null };
  await storeFingerprint(key, now.fingerprint);
  const from = before && before.id !== now.fingerprint.id ? before.version : null;
  return { from, to: now.fingerprint.version, fingerprint: now.fingerprint };
}
