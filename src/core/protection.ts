import { knownPortOrigins } from './dnr-rules';
import type { Origin } from './origin';
import { LOOPBACK_HOSTS } from './permissions';
import { withCustomOrigin, withSiteOptions, type Settings } from './settings';

/** Whether the origin is covered without being added by hand. */
function coveredByDefaults(settings: Settings, origin: Origin): boolean {
  if (settings.protectKnownPorts && knownPortOrigins().includes(origin)) return true;
  return settings.allLoopbackPorts && (LOOPBACK_HOSTS as readonly string[]).includes(new URL(origin).hostname);
}

/** "Protect this site": pausing keeps the entry (and its options); turning on adds it if needed. */
export function setProtected(settings: Settings, origin: Origin, on: boolean): Settings {
  const next = withSiteOptions(settings, origin, { protect: on });
  return on && !coveredByDefaults(settings, origin) ? withCustomOrigin(next, origin) : next;
}
