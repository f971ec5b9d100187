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
