import { looksLikeHtml } from '../core/fingerprint';
import { decodeHtml } from '../core/charset';
import { codeFilesToSize, documentKey, unversionedView, viewOfHtml, type ServerView } from '../core/staleness';

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
  let bytes: number;
  try {
    res = await fetch(url, { cache: 'no-store', credentials: 'include', redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (res.redirected && documentKey(res.url) !== documentKey(url)) return { ok: false, reason: 'redirect' };
    if (!res.ok) return { ok: false, reason: 'http-error' };
    const body = await res.arrayBuffer();
    bytes = body.byteLength;
    html = decodeHtml(new Uint8Array(body.slice(0, MAX_HTML_BYTES)), res.headers.get('content-type'));
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
  if (!looksLikeHtml(res.headers.get('content-type'), html)) return { ok: false, reason: 'not-html' };
  const view = viewOfHtml(html, url, bytes);
  if (!view.ok || !unversionedView(view)) return view;
  // Nothing names the build: the sizes of a few code files are the evidence (core/staleness judgeBySize).
  return { ...view, codeBytes: await codeFileSizes(codeFilesToSize(view, url)) };
}

/**
 * The decoded size of each file as the server serves it now (as above: no-store,
 * cookies, 5 s). A file that cannot be read is left out, which leaves the
 * verdict at "can't tell" rather than guessing. Cost per check: one request and
 * the file's bytes per file, at most MAX_ASKED_CODE_FILES (see Benchmarks).
 */
async function codeFileSizes(urls: string[]): Promise<[string, number][]> {
  const sizes = await Promise.all(
    urls.map(async (url): Promise<[string, number] | null> => {
      try {
        const res = await fetch(url, { cache: 'no-store', credentials: 'include', redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
        if (!res.ok) return null;
        const bytes = (await res.arrayBuffer()).byteLength;
        return bytes > 0 ? [url, bytes] : null;
      } catch {
        return null;
      }
    }),
  );
  return sizes.filter((s) => s !== null);
}
