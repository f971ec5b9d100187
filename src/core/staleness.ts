import { detectApp, hashString, inlineVersion, isVersionedUrl, type AppKind } from './fingerprint';
import { scanHtml } from './html-scan';

/**
 * How the document in a tab came to be: a history return (`back_forward`, or a
 * back/forward-cache restore, `bfcache`) is taken from the cache without asking
 * the server, so it is the case most likely to run old code.
 */
export type Navigation = 'navigate' | 'reload' | 'back_forward' | 'bfcache';
export const NAVIGATIONS: readonly Navigation[] = ['navigate', 'reload', 'back_forward', 'bfcache'];

/**
 * Checks of one URL closer together than this share one request: ten tabs
 * reloading together, a page reloading itself in a loop, the popup opened
 * twice. A visit inside the window is not lost: one trailing check runs when
 * the window ends and judges every tab of that URL again.
 */
export const CHECK_WINDOW_MS = 10_000;

export const isHistoryReturn = (n: Navigation) => n === 'back_forward' || n === 'bfcache';

/** What the content script saw in its own document. It speaks for its own page only. */
export interface PageReport {
  /** Script, stylesheet and module-preload URLs the document loaded (absolute). */
  assets: string[];
  /** The tool the page's markers point to (title, custom elements, config scripts). */
  app: AppKind | null;
  /** A version the page's own HTML carries (Gradio's inline config), when it has one. */
  version: string | null;
  navigation: Navigation;
  /**
   * A random id of this document, made by its content script: an action decided
   * for this document (a reload) is carried out by that document only, never by
   * whatever the tab shows by the time the decision is made.
   */
  docId: string;
  /** When the document started loading (`performance.timeOrigin`, ms since the epoch): was it loaded after a fix? */
  loadedAt: number;
  /** What the page loaded, by size, for apps whose code URLs carry no version (see judgeBySize). */
  sizes: LoadedSizes;
}

/**
 * Decoded bytes of what the document loaded, as the browser's own timing entries
 * give them for its own origin (`decodedBodySize`): the document itself, and its
 * same-origin code files whose URLs carry no version. Null/absent where the
 * browser gave no size (0: an opaque or failed load).
 */
export interface LoadedSizes {
  document: number | null;
  code: [url: string, bytes: number][];
}

/** Unversioned code files whose sizes one report carries, and the server is asked for (per check). */
export const MAX_SIZED_CODE_FILES = 64;
export const MAX_ASKED_CODE_FILES = 4;

/**
 * `unstable`: two answers of the server a moment apart list different code
 * files, and not in a way Stalebuster can factor out (see compareAnswers): what
 * the page loaded cannot be compared with either.
 */
export type UnknownReason = 'unreachable' | 'not-html' | 'redirect' | 'http-error' | 'no-code-urls' | 'unversioned' | 'no-permission' | 'unstable' | 'too-large';
export const UNKNOWN_REASONS: readonly UnknownReason[] = ['unreachable', 'not-html', 'redirect', 'http-error', 'no-code-urls', 'unversioned', 'no-permission', 'unstable', 'too-large'];

/** What the server serves now for the page's URL, seen by the background's own no-store fetch. */
export type ServerView =
  | {
      ok: true;
      assets: string[];
      app: AppKind | null;
      version: string | null;
      /** The HTML's length in bytes as served (decoded), null when not known. */
      bytes: number | null;
      /** For an app with no version to go on: the sizes of up to MAX_ASKED_CODE_FILES of its code files now. */
      codeBytes: [url: string, bytes: number][];
    }
  | { ok: false; reason: UnknownReason };

export type Verdict =
  | { state: 'fresh' }
  /** `missing`: code files the server lists now that the page never loaded. */
  | { state: 'stale'; missing: number; from: string | null; to: string | null }
  | { state: 'unknown'; reason: UnknownReason };

/**
 * Does the page run the code the server serves now?
 *
 * The page may load MORE than the served HTML lists (scripts an app injects at
 * run time, lazy chunks), never less: it is stale exactly when a file the server
 * lists now is missing from what the page loaded. Content-hashed names and `?v=`
 * queries change on upgrade, so a stale page lacks the new names. Per-launch
 * tokens (Gradio's app_id, CSRF tokens, nonces) sit in inline scripts, meta tags
 * and attributes, none of which are compared. A version the HTML itself carries
 * is compared too. With no versioned code URL and no such version there is
 * nothing to go on: "can't tell", which never triggers an action.
 */
export function judge(page: Pick<PageReport, 'assets' | 'version'>, server: ServerView, volatile: ReadonlySet<string> = NONE): Verdict {
  if (!server.ok) return { state: 'unknown', reason: server.reason };
  const loaded = new Set(normalise(page.assets, volatile));
  const served = normalise(server.assets, volatile);
  const missing = served.filter((url) => !loaded.has(url)).length;
  const versionChanged = page.version !== null && server.version !== null && page.version !== server.version;
  if (missing > 0 || versionChanged) {
    return { state: 'stale', missing, from: page.version, to: server.version };
  }
  if (page.version !== null && server.version !== null) return { state: 'fresh' };
  if (served.length === 0) return { state: 'unknown', reason: 'no-code-urls' };
  // The same `script.js` on both sides says nothing if no name carries a version (SillyTavern, llama.cpp's bundle.js).
  // A per-request token (`app.js?t=<now>`) is no version either: it was normalised away above.
  if (!served.some(isVersionedUrl)) return { state: 'unknown', reason: 'unversioned' };
  return { state: 'fresh' };
}

/** Whether a server answer has nothing that names its build (no versioned code URL, no inline version): judged by size. */
export function unversionedView(view: Extract<ServerView, { ok: true }>): boolean {
  return view.version === null && !view.assets.some(isVersionedUrl);
}

/**
 * For an app that names no build anywhere (SillyTavern's `script.js`, the
 * llama.cpp server's and KoboldCpp's single-page HTML), the cheapest sound
 * evidence: the sizes of what the page loaded against what the server serves now
 * for the same URLs. A size that differs is a file that changed ("runs old
 * code", confirmed like any other by a second answer); every compared size the
 * same, the document and each code file the server was asked about, reads "up to
 * date" (a new build of exactly the same length goes unseen: README, Known
 * limits). Anything not comparable stays `fallback` ("can't tell").
 */
export function judgeBySize(page: Pick<PageReport, 'sizes' | 'version'>, server: ServerView, fallback: Verdict): Verdict {
  const nothingNamed = fallback.state === 'unknown' && (fallback.reason === 'unversioned' || fallback.reason === 'no-code-urls');
  if (!nothingNamed || !server.ok || !unversionedView(server) || page.sizes.document === null || server.bytes === null) return fallback;
  const loaded = new Map(page.sizes.code.map(([url, bytes]) => [withoutFragment(url), bytes]));
  let changed = page.sizes.document === server.bytes ? 0 : 1;
  let uncompared = 0;
  for (const [url, bytes] of server.codeBytes) {
    const had = loaded.get(withoutFragment(url));
    if (had === undefined) uncompared++;
    else if (had !== bytes) changed++;
  }
  if (changed > 0) return { state: 'stale', missing: changed, from: page.version, to: server.version };
  // Every file the server was to be asked about was measured and compared: nothing differs.
  const toAsk = sizedCandidates(server.assets, new URL(server.codeBytes[0]?.[0] ?? page.sizes.code[0]?.[0] ?? 'http://x.invalid').origin);
  if (uncompared > 0 || server.codeBytes.length < Math.min(toAsk.length, MAX_ASKED_CODE_FILES)) return fallback;
  return { state: 'fresh' };
}

/**
 * The code files worth measuring, best first: the page's own origin's scripts
 * before its stylesheets, and an app's own files before libraries (`.min.`,
 * `lib/`, `vendor/`), each in the order the server lists them. SillyTavern lists
 * some twenty library stylesheets before `script.js`: measuring those would
 * say nothing about a release that changed only its code.
 */
function sizedCandidates(assets: readonly string[], origin: string): string[] {
  const rank = (url: string) => {
    const path = new URL(url).pathname.toLowerCase();
    const script = /\.m?js$/.test(path) ? 0 : 2;
    const library = /\.min\.|\/(?:lib|libs|vendor|node_modules)\//.test(path) ? 1 : 0;
    return script + library;
  };
  const own = normalise(assets, NONE).filter((url) => new URL(url).origin === origin);
  return own.map((url, i) => ({ url, i, r: rank(url) })).sort((a, b) => a.r - b.r || a.i - b.i).map((c) => c.url);
}

/** The code files of an unversioned answer whose sizes the server is asked for: its own origin's, best first, up to the cap. */
export function codeFilesToSize(view: Extract<ServerView, { ok: true }>, pageUrl: string): string[] {
  return sizedCandidates(view.assets, new URL(pageUrl).origin).slice(0, MAX_ASKED_CODE_FILES);
}

const NONE: ReadonlySet<string> = new Set();

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/** `origin + pathname` of a URL: what stays of a code URL whose query is a per-request token. */
function pathKey(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return null;
  }
}

/**
 * Code URLs as compared: without fragment, and, where the server has been seen
 * to give the same file a different query on every answer (`volatile`), without
 * that query. De-duplicated.
 */
function normalise(urls: readonly string[], volatile: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const url of urls) {
    const path = volatile.size > 0 ? pathKey(url) : null;
    out.add(path !== null && volatile.has(path) ? path : withoutFragment(url));
  }
  return [...out];
}

/**
 * Two answers of the server for the same page, a moment apart. Whatever differs
 * between them is no evidence of an upgrade: a code URL whose query differs
 * (`app.js?t=1700000001` then `?t=1700000002`) is a per-request token, and its
 * path joins `volatile`. If the answers still differ once those queries are set
 * aside (a token in a path, a script listed only sometimes), the server's answer
 * is `stable: false` and no verdict can rest on it.
 */
export function compareAnswers(a: ServerView, b: ServerView, volatile: ReadonlySet<string>): { stable: boolean; volatile: Set<string> } {
  const next = new Set(volatile);
  if (!a.ok || !b.ok) return { stable: a.ok === b.ok && viewId(a) === viewId(b), volatile: next };
  const inA = new Set(normalise(a.assets, volatile));
  const inB = new Set(normalise(b.assets, volatile));
  const onlyA = [...inA].filter((u) => !inB.has(u));
  const onlyB = [...inB].filter((u) => !inA.has(u));
  const pathsA = new Set(onlyA.map(pathKey));
  // A query token: the same path on both sides with another query.
  for (const url of onlyB) {
    const path = pathKey(url);
    if (path !== null && pathsA.has(path)) next.add(path);
  }
  return { stable: viewId(a, next) === viewId(b, next), volatile: next };
}

/** The URL the server is asked about: the page's own, without its fragment (never sent to a server). */
export function documentKey(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

/** More than any real app's code files (a 300-chunk app is large); bounds what a page can make us hold. */
export const MAX_REPORTED_ASSETS = 3000;
export const MAX_URL_LENGTH = 4096;
/**
 * All the URLs of one report together: a 300-chunk app sends about 30 KB. The
 * per-tab record lives in storage.session (10 MB for everything), so a page of
 * 3,000 four-kilobyte URLs must not be able to fill it.
 */
export const MAX_REPORTED_CHARS = 256 * 1024;

/** Structural check of a page report: anything malformed is dropped, never half-used. */
export function parsePageReport(raw: unknown, isApp: (kind: string) => boolean): PageReport | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (!Array.isArray(r.assets) || r.assets.length > MAX_REPORTED_ASSETS) return null;
  if (!r.assets.every((a) => typeof a === 'string' && a.length <= MAX_URL_LENGTH && /^https?:\/\//.test(a))) return null;
  if ((r.assets as string[]).reduce((n, a) => n + a.length, 0) > MAX_REPORTED_CHARS) return null;
  if (r.app !== null && (typeof r.app !== 'string' || !isApp(r.app))) return null;
  if (r.version !== null && (typeof r.version !== 'string' || r.version.length > 80)) return null;
  if (typeof r.navigation !== 'string' || !(NAVIGATIONS as readonly string[]).includes(r.navigation)) return null;
  if (typeof r.docId !== 'string' || !/^[\w-]{8,64}$/.test(r.docId)) return null;
  if (typeof r.loadedAt !== 'number' || !Number.isFinite(r.loadedAt) || r.loadedAt < 0) return null;
  const sizes = parseSizes(r.sizes);
  if (!sizes) return null;
  return {
    assets: r.assets as string[], app: r.app as PageReport['app'], version: r.version as string | null, navigation: r.navigation as Navigation,
    docId: r.docId, loadedAt: r.loadedAt, sizes,
  };
}

const isSize = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;

function parseSizes(raw: unknown): LoadedSizes | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (r.document !== null && !isSize(r.document)) return null;
  if (!Array.isArray(r.code) || r.code.length > MAX_SIZED_CODE_FILES) return null;
  const code: [string, number][] = [];
  for (const entry of r.code as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2) return null;
    const [url, bytes] = entry as [unknown, unknown];
    if (typeof url !== 'string' || url.length > MAX_URL_LENGTH || !/^https?:\/\//.test(url) || !isSize(bytes)) return null;
    code.push([url, bytes]);
  }
  return { document: r.document, code };
}

/** The server's side of the comparison, from the HTML it served for the page's URL. */
/**
 * What the HTML names. A page that names more code files than a page report may
 * carry (MAX_REPORTED_ASSETS, MAX_REPORTED_CHARS) could not be compared with one,
 * and its view is kept in storage.session: it reads "can't tell" instead.
 */
export function viewOfHtml(html: string, url: string, bytes: number | null = null): ServerView {
  const assets = extractAssetUrls(html, url);
  if (assets.length > MAX_REPORTED_ASSETS || assets.reduce((n, a) => n + a.length, 0) > MAX_REPORTED_CHARS) return { ok: false, reason: 'too-large' };
  return { ok: true, assets, app: detectApp(html), version: inlineVersion(html), bytes, codeBytes: [] };
}

/**
 * Identifies what the server serves, to act at most once per upgrade. Computed
 * over the normalised URLs, so a per-request token does not make every answer
 * look like a new upgrade.
 */
export function viewId(view: ServerView, volatile: ReadonlySet<string> = NONE): string {
  if (!view.ok) return `unknown:${view.reason}`;
  // An app that names no build is one build or another by its sizes: a new build is a new answer (acted on
  // once, confirmed afresh), and an answer whose HTML length changes from one request to the next is unstable.
  const sizes = unversionedView(view) ? [view.bytes, [...view.codeBytes].sort()] : null;
  return hashString(JSON.stringify(sizes ? [normalise(view.assets, volatile).sort(), view.version, sizes] : [normalise(view.assets, volatile).sort(), view.version]));
}

/**
 * The sorted, de-duplicated URLs of scripts, stylesheets and module preloads the
 * HTML loads, resolved against the document base (`baseUrl`, or its `<base href>`),
 * queries kept (`?v=` changes on upgrade). The content script reads the same
 * selection from the live DOM. URLs the scan is unsure of are left out (see `scanHtml`).
 */
export function extractAssetUrls(html: string, baseUrl: string): string[] {
  return scanHtml(html, baseUrl).assets;
}
