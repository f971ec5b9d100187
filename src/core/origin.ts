import { isLoopbackHost } from './permissions';

/** A normalised origin: `scheme://host[:port]`, as `URL.origin` spells it. */
export type Origin = string;

export type OriginError =
  | 'empty'
  | 'bad-scheme'
  | 'wildcard'
  | 'bad-port'
  | 'has-credentials'
  | 'malformed';

export type ParseResult = { ok: true; origin: Origin } | { ok: false; error: OriginError };

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

/**
 * Turns what a user types ("localhost:7860", "HTTP://GPU-Box.local:8188/app/",
 * "[::1]:8501") into one canonical origin, or says why it cannot.
 */
export function parseOriginInput(raw: string): ParseResult {
  const input = raw.trim();
  if (input === '') return { ok: false, error: 'empty' };
  if (/[*]/.test(input) || /^<all_urls>$/i.test(input)) return { ok: false, error: 'wildcard' };

  const schemeMatch = /^([a-z][a-z0-9+.-]*):/i.exec(input);
  const hasAuthority = /^[a-z][a-z0-9+.-]*:\/\//i.test(input);
  let candidate = input;
  if (schemeMatch && hasAuthority) {
    if (!ALLOWED_SCHEMES.has(schemeMatch[1]!.toLowerCase() + ':')) return { ok: false, error: 'bad-scheme' };
  } else if (schemeMatch && !/^[^:/]+:\d+(\/|$)/.test(input) && !input.startsWith('[')) {
    // "javascript:alert(1)", "data:text/html,..", "file:/x", "mailto:a@b": a scheme, not host:port.
    return { ok: false, error: 'bad-scheme' };
  } else {
    candidate = `http://${input}`;
  }

  const portMatch = /^[a-z]+:\/\/(?:\[[^\]]*\]|[^/:?#]*):(\d*)(?:[/?#]|$)/i.exec(candidate);
  if (portMatch) {
    const port = portMatch[1]!;
    if (port === '' || !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      return { ok: false, error: 'bad-port' };
    }
  }

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, error: 'malformed' };
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) return { ok: false, error: 'bad-scheme' };
  if (url.username || url.password) return { ok: false, error: 'has-credentials' };
  if (!isPlausibleHost(url.hostname)) return { ok: false, error: 'malformed' };
  return { ok: true, origin: url.origin };
}

function isPlausibleHost(hostname: string): boolean {
  if (hostname.startsWith('[')) return hostname.endsWith(']');
  if (hostname.length === 0 || hostname.length > 253) return false;
  // Letters, digits, hyphens and dots only; no empty labels ("a..b", ".x").
  return hostname.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(label) || /^xn--/.test(label));
}

/** What a tab's URL allows Stalebuster to do. */
export type TabTarget =
  | { kind: 'site'; origin: Origin; loopback: boolean }
  | { kind: 'restricted'; reason: RestrictedReason };

export type RestrictedReason = 'browser-page' | 'web-store' | 'file' | 'no-url' | 'not-http';

const WEB_STORE_HOSTS = new Set([
  'chromewebstore.google.com',
  'chrome.google.com',
  'addons.mozilla.org',
  'microsoftedge.microsoft.com',
]);

const BROWSER_SCHEMES = new Set([
  'chrome:', 'chrome-extension:', 'chrome-untrusted:', 'devtools:', 'edge:', 'about:',
  'moz-extension:', 'resource:', 'view-source:', 'chrome-search:',
]);

export function classifyTabUrl(url: string | undefined): TabTarget {
  if (!url) return { kind: 'restricted', reason: 'no-url' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'restricted', reason: 'no-url' };
  }
  if (BROWSER_SCHEMES.has(parsed.protocol)) return { kind: 'restricted', reason: 'browser-page' };
  if (parsed.protocol === 'file:') return { kind: 'restricted', reason: 'file' };
  if (!ALLOWED_SCHEMES.has(parsed.protocol)) return { kind: 'restricted', reason: 'not-http' };
  if (WEB_STORE_HOSTS.has(parsed.hostname)) {
    if (parsed.hostname !== 'chrome.google.com' || parsed.pathname.startsWith('/webstore')) {
      return { kind: 'restricted', reason: 'web-store' };
    }
  }
  return { kind: 'site', origin: parsed.origin, loopback: isLoopbackHost(parsed.hostname) };
}
