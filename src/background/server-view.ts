import { looksLikeHtml } from '../core/fingerprint';
import { decodeHtml } from '../core/charset';
import { documentKey, viewOfHtml, type ServerView } from '../core/staleness';

const TIMEOUT_MS = 5000;
const MAX_HTML_BYTES = 2_000_000;

/**
 * What the server serves now for a page's URL: the background's own request,
 * `no-store`, so neither the HTTP cache nor a page's service worker (none sits
 * in front of an extension's requests) can answer it. Cookies go along, so an
 * app behind a login answers as it does to the page. A redirect (to a login, to
 * another page), an error, a timeout or a body that is not HTML is "can't tell".
 */
export async function fetchServerView(url: string): Promise<ServerView> {
  let res: Response;
  let html: string;
  try {
    res = await fetch(url, { cache: 'no-store', credentials: 'include', redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (res.redirected && documentKey(res.url) !== documentKey(url)) return { ok: false, reason: 'redirect' };
    if (!res.ok) return { ok: false, reason: 'http-error' };
    html = decodeHtml(new Uint8Array((await res.arrayBuffer()).slice(0, MAX_HTML_BYTES)), res.headers.get('content-type'));
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
  if (!looksLikeHtml(res.headers.get('content-type'), html)) return { ok: false, reason: 'not-html' };
  return viewOfHtml(html, url);
}
