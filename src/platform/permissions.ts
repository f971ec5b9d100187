import type { Origin } from '../core/origin';
import { hostPatternFor, isLoopbackHost, patternCovers } from '../core/permissions';
import { browser } from './browser';

/**
 * The user-added origins whose host permission is granted right now. One call
 * for the whole list: asking per origin cost a round trip each (a thousand added
 * sites made every page report wait for a thousand of them).
 */
export async function grantedOrigins(origins: readonly Origin[]): Promise<Set<Origin>> {
  if (origins.length === 0) return new Set();
  const { origins: patterns = [] } = await browser.permissions.getAll();
  return new Set(origins.filter((o) => patterns.some((p) => patternCovers(p, o))));
}

export async function hasHostAccess(origin: Origin): Promise<boolean> {
  if (isLoopbackHost(new URL(origin).hostname)) return true;
  return browser.permissions.contains({ origins: [hostPatternFor(origin)] });
}

/** Must run inside a user gesture in an extension page. */
export async function requestHostAccess(origin: Origin): Promise<boolean> {
  return browser.permissions.request({ origins: [hostPatternFor(origin)] });
}

export function onPermissionsChange(listener: () => void): void {
  browser.permissions.onAdded.addListener(listener);
  browser.permissions.onRemoved.addListener(listener);
}

/** Host patterns just granted (`http://gpu-box.local/*`). */
export function onHostsGranted(listener: (patterns: string[]) => void): void {
  browser.permissions.onAdded.addListener((p) => listener(p.origins ?? []));
}

/** Several sites in one prompt (must run inside a user gesture in an extension page). */
export async function requestHostAccessAll(origins: readonly Origin[]): Promise<boolean> {
  return browser.permissions.request({ origins: [...new Set(origins.map(hostPatternFor))] });
}
