import { coveredByAllLoopback, foundOrigins, knownPortOrigins } from './dnr-rules';
import type { Origin } from './origin';
import { withCustomOrigin, withSiteOptions, type Settings } from './settings';

/** Whether the origin is covered without being added by hand. */
function coveredByDefaults(settings: Settings, origin: Origin): boolean {
  return (
    (settings.protectKnownPorts && knownPortOrigins().includes(origin)) ||
    foundOrigins(settings).includes(origin) ||
    coveredByAllLoopback(settings, origin)
  );
}

/** "Protect this site": pausing keeps the entry (and its options); turning on adds it if needed. */
export function setProtected(settings: Settings, origin: Origin, on: boolean): Settings {
  const next = withSiteOptions(settings, origin, { protect: on });
  return on && !coveredByDefaults(settings, origin) ? withCustomOrigin(next, origin) : next;
}
