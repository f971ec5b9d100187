import type { WriteError } from '../core/messages';
import type { Origin } from '../core/origin';
import { hostPatternFor } from '../core/permissions';
import { hasHostAccess } from '../platform/permissions';
import { records } from '../platform/storage';
import { STORED_ITEMS } from '../core/stored-items';
import { notASiteAddress, setSite } from './settings-writes';

/** One record per host: only the newest "Protect it" click on a host waits for its grant. */
const pending = records(STORED_ITEMS.pendingGrant);

/** How long a "Protect it" click waits for the user's answer to the browser's prompt. */
export const GRANT_WAIT_MS = 60_000;

/**
 * "Protect it" on a site the browser has not granted yet. The popup asks for the
 * access (only it can: the request needs the click), and the protection follows
 * the grant here, because the popup may be gone when the user answers: Chromium
 * closes the toolbar popup as its permission dialog opens.
 *
 * What may complete it is narrow, since a Deny in Chromium reaches nobody: the
 * grant of exactly this host (browser event), within a minute, for the newest
 * click on the host only; a popup that is still open says Deny (`cancel`).
 * Refused, with the reason, for anything that is not one site's address.
 */
export async function protectOnGrant(origin: Origin, cancel = false): Promise<{ ok: true } | { ok: false; error: WriteError }> {
  const refused = notASiteAddress(origin);
  if (refused) return { ok: false, error: refused };
  const host = hostPatternFor(origin);
  if (cancel) {
    await pending.update(host, (p) => (p?.origin === origin ? undefined : p));
    return { ok: true };
  }
  // Through the same queue as the completions, so a grant handled right now sees this click or none.
  await pending.update(host, () => ({ origin, at: Date.now() }));
  // The grant may have arrived before this message did.
  if (await hasHostAccess(origin)) await complete(host);
  return { ok: true };
}

/** The browser granted these host patterns: protects the site waiting on each, if its click is recent. */
export async function completePendingGrants(patterns: readonly string[], now = Date.now()): Promise<void> {
  for (const host of patterns) await complete(host, now);
}

async function complete(host: string, now = Date.now()): Promise<void> {
  let origin: Origin | null = null;
  await pending.update(host, (p) => {
    if (p && now - p.at <= GRANT_WAIT_MS && p.at <= now + 60_000) origin = p.origin;
    return undefined;
  });
  if (origin === null) return;
  const result = await setSite(origin, { kind: 'protect', on: true });
  if (!result.ok) console.warn(`Stalebuster: could not protect ${origin} after its grant:`, result.error);
}
