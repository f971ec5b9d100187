/**
 * Signals an open page gives that its code may have gone out of date while it
 * stayed open (its server was upgraded under it): a code file or lazy chunk of
 * its own origin failed to load, or the page came back into view. The content
 * script sends them (content/page-signals); the background answers each with at
 * most one check of the server, and none at all for a page that gives no signal.
 *
 * Users of these tools meet stale code mostly in a tab left open through an
 * upgrade: Open WebUI shows "500: Internal Error" (open-webui#29831), lazy
 * chunks of the old build 404, buttons stop working (streamlit#536 built a
 * version check for exactly this).
 */

/**
 * - `code-failed`: a script, stylesheet, module preload or dynamic import of the
 *   page's own origin failed to load: the strongest sign, so it asks the server afresh.
 * - `visible`: the page came back into view (another window, a restored one); a
 *   check shares the answer of one made moments ago (tab activation asks too).
 */
export type PageSignal = 'code-failed' | 'visible';

export interface SignalMessage {
  signal: PageSignal;
  /** The document that gave it (see PageReport.docId): a signal of an older document is ignored. */
  docId: string;
}

const SIGNALS: readonly PageSignal[] = ['code-failed', 'visible'];

/** Structural check of a signal from a content script; anything else is dropped. */
export function parseSignal(raw: unknown): SignalMessage | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.signal !== 'string' || !(SIGNALS as readonly string[]).includes(r.signal)) return null;
  if (typeof r.docId !== 'string' || !/^[\w-]{8,64}$/.test(r.docId)) return null;
  return { signal: r.signal as PageSignal, docId: r.docId };
}

/**
 * How long a page waits to gather a burst of failures (an old build's ten lazy
 * chunks failing together) into one signal.
 */
export const SIGNAL_GATHER_MS = 300;

/**
 * The fewest milliseconds between two checks one tab's signals may cause. A page
 * that fails a chunk in a loop (or forges failures) costs one request per
 * window, however many signals it sends; a stopped worker forgets the times,
 * which only lets one more through.
 */
export const SIGNAL_CHECK_GAP_MS = 5_000;

/** Whether a signal at `now` may cause a check, given when the tab's last signal check ran. */
export function signalMayCheck(lastCheckAt: number | undefined, now: number): boolean {
  return lastCheckAt === undefined || now - lastCheckAt >= SIGNAL_CHECK_GAP_MS || now < lastCheckAt;
}

/**
 * Whether a failed load of `url` on a page of `pageOrigin` says something about
 * the page's own code: a script, module or stylesheet of the same origin. A
 * failed image or API call says nothing about the build; another origin's CDN
 * says nothing about this server.
 */
export function isOwnCodeFailure(url: string, pageOrigin: string, kind: 'script' | 'style' | 'module' | 'other'): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin !== pageOrigin) return false;
  if (kind !== 'other') return true;
  // A load the browser attributes to nothing in particular (Chromium's "other" for import()): its file name decides.
  return /\.(?:m?js|css)$/i.test(parsed.pathname);
}

/**
 * The URL a failed dynamic import names in its error, in both browsers' words:
 * Chromium "Failed to fetch dynamically imported module: <url>", Firefox "error
 * loading dynamically imported module: <url>"; Safari's "Importing a module
 * script failed." names none (then null, and the resource's failure must tell).
 */
export function failedImportUrl(message: string): string | null {
  const match = /dynamically imported module:\s*(\S+)/i.exec(message.slice(0, 5000));
  return match ? match[1]! : null;
}
