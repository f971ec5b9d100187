import { VERSION_SIGNALS, computeFingerprint, normaliseVersion, type AppKind, type Fingerprint } from '../core/fingerprint';
import type { VersionCheck } from '../core/messages';
import { serverView } from './server-checks';

const TIMEOUT_MS = 5000;

/**
 * The version the tool reports at its own endpoint (Gradio /config, ComfyUI
 * /system_stats…), asked outside any page service worker. Undefined when the
 * endpoint could not be reached: a version that flickers between known and
 * unknown would read as an upgrade.
 */
async function reportedVersion(base: string, app: AppKind | null): Promise<string | null | undefined> {
  const signal = app ? VERSION_SIGNALS[app] : undefined;
  if (!signal) return null;
  try {
    // Under the app's path: ComfyUI behind a proxy at /comfy/ answers /comfy/system_stats, and / may be another app.
    const res = await fetch(new URL(signal.path.replace(/^\//, ''), base), { cache: 'no-store', credentials: 'include', signal: AbortSignal.timeout(TIMEOUT_MS) });
    return res.ok ? normaliseVersion(signal.pick(await res.json().catch(() => null))) : null;
  } catch {
    return undefined;
  }
}

/**
 * A fingerprint from HTML already fetched (its code URLs and tool), plus the
 * tool's reported version. `base`: the app's address (core/app-path appBase).
 */
export async function fingerprintOf(base: string, view: { assets: string[]; app: AppKind | null; version: string | null }): Promise<VersionCheck> {
  const version = await reportedVersion(base, view.app);
  if (version === undefined) return { ok: false, error: 'unreachable' };
  const fingerprint: Fingerprint = computeFingerprint({ assets: view.assets, app: view.app, version: version ?? view.version });
  return { ok: true, fingerprint };
}

/**
 * The app at `base` (an origin's root, or an app's path), as the popup shows
 * it ("Gradio 5.9.1"). Asked afresh, through the detector's shared request: the
 * popup's own check of a tab on that page, made at the same moment, is the same
 * request.
 */
export async function fetchFingerprint(base: string): Promise<VersionCheck> {
  const view = await serverView(base, { force: true });
  if (!view.ok) return { ok: false, error: view.reason === 'not-html' ? 'not-html' : 'unreachable' };
  return fingerprintOf(base, view);
}
