import { VERSION_SIGNALS, computeFingerprint, normaliseVersion, type AppKind, type Fingerprint } from '../core/fingerprint';
import type { VersionCheck } from '../core/messages';
import type { Origin } from '../core/origin';
import { serverView } from './server-checks';

const TIMEOUT_MS = 5000;

/**
 * The version the tool reports at its own endpoint (Gradio /config, ComfyUI
 * /system_stats…), asked outside any page service worker. Undefined when the
 * endpoint could not be reached: a version that flickers between known and
 * unknown would read as an upgrade.
 */
async function reportedVersion(origin: Origin, app: AppKind | null): Promise<string | null | undefined> {
  const signal = app ? VERSION_SIGNALS[app] : undefined;
  if (!signal) return null;
  try {
    const res = await fetch(origin + signal.path, { cache: 'no-store', credentials: 'include', signal: AbortSignal.timeout(TIMEOUT_MS) });
    return res.ok ? normaliseVersion(signal.pick(await res.json().catch(() => null))) : null;
  } catch {
    return undefined;
  }
}

/** A fingerprint from HTML already fetched (its code URLs and tool), plus the tool's reported version. */
export async function fingerprintOf(origin: Origin, view: { assets: string[]; app: AppKind | null; version: string | null }): Promise<VersionCheck> {
  const version = await reportedVersion(origin, view.app);
  if (version === undefined) return { ok: false, error: 'unreachable' };
  const fingerprint: Fingerprint = computeFingerprint({ assets: view.assets, app: view.app, version: version ?? view.version });
  return { ok: true, fingerprint };
}

/**
 * The app at an origin's root, as the popup shows it ("Gradio 5.9.1"). Asked
 * afresh, through the detector's shared request: the popup's own check of a
 * tab on that page, made at the same moment, is the same request.
 */
export async function fetchFingerprint(origin: Origin): Promise<VersionCheck> {
  const view = await serverView(`${origin}/`, { force: true });
  if (!view.ok) return { ok: false, error: view.reason === 'not-html' ? 'not-html' : 'unreachable' };
  return fingerprintOf(origin, view);
}
