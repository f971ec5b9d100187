/**
 * Host permission patterns. Firefox match patterns cannot hold a port, so every
 * pattern names a host and covers all of its ports; port exactness is enforced by
 * the DNR url filters and by clearing inside the page's own origin.
 */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

export const LOOPBACK_HOST_PATTERNS = LOOPBACK_HOSTS.flatMap((host) => [
  `http://${host}/*`,
  `https://${host}/*`,
]);

/** The match pattern that grants access to `origin` (all ports of its host). */
export function hostPatternFor(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

export function isLoopbackHost(hostname: string): boolean {
  return (LOOPBACK_HOSTS as readonly string[]).includes(hostname);
}

/**
 * Whether a granted match pattern (`http://gpu-box.local/*`, `*://*.lab/*`,
 * `<all_urls>`) covers an origin. Match patterns never name a port.
 */
export function patternCovers(pattern: string, origin: string): boolean {
  const url = new URL(origin);
  if (pattern === '<all_urls>') return url.protocol === 'http:' || url.protocol === 'https:';
  const m = /^(\*|https?):\/\/([^/]+)\//.exec(pattern);
  if (!m) return false;
  const [, scheme, host] = m as unknown as [string, string, string];
  if (scheme === '*' ? !['http:', 'https:'].includes(url.protocol) : `${scheme}:` !== url.protocol) return false;
  if (host === '*') return true;
  if (host.startsWith('*.')) return url.hostname === host.slice(2) || url.hostname.endsWith(host.slice(1));
  return url.hostname === host;
}
