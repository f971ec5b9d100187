import {
  VERSION_SIGNALS, computeFingerprint, detectApp, extractAssetUrls, looksLikeHtml, normaliseVersion,
  type Fingerprint,
} from '../core/fingerprint';
import type { VersionCheck } from '../core/messages';
import type { Origin } from '../core/origin';

const TIMEOUT_MS = 5000;
const MAX_HTML_BYTES = 2_000_000;

/**
 * Fetched by the background itself with `cache: 'no-store'`: no page service
 * worker sits in front of an extension's own requests, so this sees what the
 * server serves now, not what the app's worker cached.
 */
async function get(url: string): Promise<Response> {
  return fetch(url, {
    cache: 'no-store',
    credentials: 'omit',
    redirect: 'follow',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

export async function fetchFingerprint(origin: Origin): Promise<VersionCheck> {
  let html: string;
  let contentType: string | null;
  try {
    const res = await get(`${origin}/`);
    if (!res.ok) return { ok: false, error: 'unreachable' };
    contentType = res.headers.get('content-type');
    html = (await res.text()).slice(0, MAX_HTML_BYTES);
  } catch {
    return { ok: false, error: 'unreachable' };
  }
  if (!looksLikeHtml(contentType, html)) return { ok: false, error: 'not-html' };

  const app = detectApp(html);
  let version: string | null = null;
  const signal = app ? VERSION_SIGNALS[app] : undefined;
  if (signal) {
    let res: Response;
    try {
      res = await get(origin + signal.path);
    } catch {
      // A version that flickers between known and unknown would read as an upgrade: wait for the next check.
      return { ok: false, error: 'unreachable' };
    }
    if (res.ok) version = normaliseVersion(signal.pick(await res.json().catch(() => null)));
  }
  const fingerprint: Fingerprint = computeFingerprint({ assets: extractAssetUrls(html, `${origin}/`), app, version });
  return { ok: true, fingerprint };
}
