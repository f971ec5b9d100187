import type { Origin } from '../core/origin';
import { hostPatternFor, isLoopbackHost } from '../core/permissions';
import { browser } from './browser';

/** The user-added origins whose host permission is granted right now. */
export async function grantedOrigins(origins: readonly Origin[]): Promise<Set<Origin>> {
  const checks = await Promise.all(
    origins.map(async (o) => [o, await browser.permissions.contains({ origins: [hostPatternFor(o)] })] as const),
  );
  return new Set(checks.filter(([, ok]) => ok).map(([o]) => o));
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
