/**
 * Version fingerprints of a local web app, computed from what the background
 * fetched itself (outside any page service worker).
 *
 * A full HTML parser (htmlparser2, parse5) costs ~23 KB gzipped, more than the
 * whole background budget, and the service worker has no DOMParser; html-scan.ts
 * reads only the tags and attributes a fingerprint needs, in one linear pass.
 */

export type AppKind =
  | 'gradio' | 'comfyui' | 'open-webui' | 'jupyter' | 'invokeai' | 'sillytavern'
  | 'koboldcpp' | 'llama.cpp' | 'streamlit' | 'flowise';

export const APP_NAMES: Record<AppKind, string> = {
  gradio: 'Gradio',
  comfyui: 'ComfyUI',
  'open-webui': 'Open WebUI',
  jupyter: 'Jupyter',
  invokeai: 'InvokeAI',
  sillytavern: 'SillyTavern',
  koboldcpp: 'KoboldCpp',
  'llama.cpp': 'llama.cpp',
  streamlit: 'Streamlit',
  flowise: 'Flowise',
};

interface VersionSignal {
  path: string;
  pick: (body: unknown) => unknown;
}

const get = (body: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), body);

/** Where each tool says its version. Gradio's /config also has `app_id`, new on every launch: never hash the whole body. */
export const VERSION_SIGNALS: Partial<Record<AppKind, VersionSignal>> = {
  gradio: { path: '/config', pick: (b) => get(b, 'version') },
  comfyui: { path: '/system_stats', pick: (b) => get(b, 'system', 'comfyui_version') },
  'open-webui': { path: '/api/version', pick: (b) => get(b, 'version') },
  jupyter: { path: '/api', pick: (b) => get(b, 'version') },
  invokeai: { path: '/api/v1/app/version', pick: (b) => get(b, 'version') },
  sillytavern: { path: '/version', pick: (b) => get(b, 'pkgVersion') ?? get(b, 'gitRevision') },
  koboldcpp: { path: '/api/extra/version', pick: (b) => get(b, 'version') },
  'llama.cpp': { path: '/props', pick: (b) => get(b, 'build_info') },
  flowise: { path: '/api/v1/version', pick: (b) => get(b, 'version') },
};

/**
 * How each tool is told. `built`: what only the tool's own page is made of
 * (Gradio's element and config, ComfyUI's user picker, Jupyter's config script,
 * KoboldAI Lite's version constant), matched exactly as content/app-markers
 * writes it; `named`: anything else that names it (a title, a script URL),
 * matched in any case. On the open internet only `built` counts: a title names
 * tools all day ("Releases · LostRuins/koboldcpp", "st.button - Streamlit Docs").
 */
const DETECTORS: { kind: AppKind; built: RegExp | null; named: RegExp }[] = [
  { kind: 'gradio', built: /window\.gradio_config|<gradio-app|data-gradio-mode/, named: /\/gradio\.js|@gradio\// },
  { kind: 'comfyui', built: /id=["']?comfy-user-selection/, named: /<title>\s*ComfyUI/ },
  { kind: 'open-webui', built: null, named: /<title>\s*Open WebUI/ },
  { kind: 'jupyter', built: /jupyter-config-data/, named: /<title>\s*(?:Home\s*[-–]\s*)?Jupyter/ },
  { kind: 'invokeai', built: null, named: /<title>\s*Invoke/ },
  { kind: 'sillytavern', built: null, named: /<title>\s*SillyTavern/ },
  { kind: 'koboldcpp', built: /KoboldAI Lite \bLITEVER\s*=/, named: /KoboldAI Lite|koboldcpp/ },
  { kind: 'llama.cpp', built: null, named: /<title>\s*llama\.cpp|llama\.cpp\s*-\s*AI Chat/ },
  { kind: 'streamlit', built: null, named: /<title>\s*Streamlit|streamlit/ },
  { kind: 'flowise', built: null, named: /<title>\s*Flowise/ },
];
/** Either way, in any case: what `detectApp` asks of served HTML and of a page's markers. */
const ANY_SIGN: [AppKind, RegExp][] = DETECTORS.map(({ kind, built, named }) => [kind, new RegExp(built ? `${built.source}|${named.source}` : named.source, 'i')]);

export function detectApp(html: string): AppKind | null {
  for (const [kind, re] of ANY_SIGN) if (re.test(html)) return kind;
  return null;
}

/** Only what the tool's page is built from, never its title (content/app-markers puts it last, '<' escaped). */
export function detectAppByStructure(markers: string): AppKind | null {
  const built = markers.replace(/<title>[^<]*<\/title>$/, '');
  for (const d of DETECTORS) if (d.built?.test(built)) return d.kind;
  return null;
}

/**
 * A version the page's own HTML carries, read the same way from the served HTML
 * and from the live page:
 * - Gradio inlines its config, `window.gradio_config = {"version": ...}` (the
 *   first key); its `app_id` changes on every launch and is never read;
 * - JupyterLab and Notebook 7: `appVersion` in `#jupyter-config-data` (which also
 *   holds a per-launch token and a per-request store id, never read);
 * - KoboldCpp's single-file UI: `LITEVER = 180`.
 */
export function inlineVersion(html: string): string | null {
  const patterns: [RegExp, RegExp][] = [
    [/window\.gradio_config\s*=/, /^[^]*?"version"\s*:\s*"([^"\\]{1,80})"/],
    [/id=["']?jupyter-config-data/, /^[^]*?"appVersion"\s*:\s*"([^"\\]{1,80})"/],
    [/\bLITEVER\s*=/, /^\bLITEVER\s*=\s*(\d{1,10})/],
  ];
  for (const [marker, value] of patterns) {
    const at = html.search(marker);
    if (at === -1) continue;
    const m = value.exec(html.slice(at, at + 200_000));
    if (m) return m[1]!;
  }
  return null;
}

/**
 * Whether a code URL names its version: a content hash in the file name
 * (`index-3f2a9c01.js`, `main.5XTU2QTH.css`, `entry.Bd9x2kfa.js`) or a query
 * (`?v=0.3.40`, `?1700000000`). Two pages that load the same unversioned
 * `script.js` may still run different code.
 */
export function isVersionedUrl(url: string): boolean {
  const u = new URL(url);
  if (u.search.length > 1) return true;
  const name = u.pathname.slice(u.pathname.lastIndexOf('/') + 1);
  const tokens = name.replace(/\.[A-Za-z0-9]+$/, '').split(/[-.]/).slice(1);
  // A hash has a digit (3f2a9c01) or, in base64 form, mixed case (BIqxrAvN); words (polyfills) have neither.
  return tokens.some((t) => /^\w+$/.test(t) && ((t.length >= 6 && /\d/.test(t)) || (t.length >= 8 && /[a-z]/.test(t) && /[A-Z]/.test(t))));
}

/** FNV-1a, 32 bit: a short stable id for display and comparison, not for security. */
export function hashString(input: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export interface Fingerprint {
  /** Compared across checks; changes when the app's code changes. */
  id: string;
  app: AppKind | null;
  version: string | null;
  assetCount: number;
}

export function normaliseVersion(raw: unknown): string | null {
  if (typeof raw === 'number') return String(raw);
  if (typeof raw !== 'string') return null;
  const v = raw.trim();
  return v.length > 0 && v.length <= 80 ? v : null;
}

export function computeFingerprint(input: { assets: string[]; app: AppKind | null; version: string | null }): Fingerprint {
  const basis = JSON.stringify({ a: input.assets, k: input.app, v: input.version });
  return { id: hashString(basis), app: input.app, version: input.version, assetCount: input.assets.length };
}

/** Whether a fetched root document is something worth fingerprinting. */
export function looksLikeHtml(contentType: string | null, body: string): boolean {
  if (contentType && !/text\/html|application\/xhtml/i.test(contentType)) return false;
  return /<(!doctype html|html|head|body|script)\b/i.test(body.slice(0, 4096));
}

/** "Gradio 5.9.1", "ComfyUI", or "build 3f2a9c01" for an unknown app. */
export function describeFingerprint(fp: Pick<Fingerprint, 'app' | 'version' | 'id'>): { app: string | null; version: string } {
  const app = fp.app ? APP_NAMES[fp.app] : null;
  return { app, version: fp.version ?? `build ${fp.id.slice(0, 8)}` };
}
