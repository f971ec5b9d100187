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

/** A code file larger than this is not measured (the answer then reads "can't tell"): a bound on what one check downloads. */
const MAX_CODE_FILE_BYTES = 20_000_000;

/**
 * The decoded size of each file as the server serves it now (as above: no-store,
 * cookies, 5 s), counted as it streams, never kept. All or nothing: if one file
 * cannot be read (a timeout, an error, over MAX_CODE_FILE_BYTES), none is
 * given, which leaves the verdict at "can't tell"; a partial list would make two
 * answers of one build look like two builds. Cost per check: one request and the
 * file's bytes per file, at most MAX_ASKED_CODE_FILES (see Benchmarks).
 */
async function codeFileSizes(urls: string[]): Promise<[string, number][]> {
  const sizes = await Promise.all(urls.map(async (url): Promise<[string, number] | null> => {
    try {
      const res = await fetch(url, { cache: 'no-store', credentials: 'include', redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!res.ok || !res.body) return null;
      let bytes = 0;
      const reader = res.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        bytes += chunk.value.byteLength;
        if (bytes > MAX_CODE_FILE_BYTES) {
          await reader.cancel();
          return null;
        }
      }
      return bytes > 0 ? [url, bytes] : null;
    } catch {
      return null;
    }
  }));
  return sizes.every((s) => s !== null) ? (sizes as [string, number][]) : [];
}
