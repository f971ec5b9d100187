import type { WriteError } from '../core/messages';
import { parseOriginInput, type Origin } from '../core/origin';
import { parsePendingGrant, type PendingGrant } from '../core/records';
import { hasHostAccess } from '../platform/permissions';
import { records } from '../platform/storage';
import { setSite } from './settings-writes';

const pending = records<PendingGrant>('session', 'pendingGrant', parsePendingGrant);

/** How long a "Protect it" click waits for the user's answer to the browser's prompt. */
export const GRANT_WAIT_MS = 2 * 60_000;

/**
 * "Protect it" on a site the browser has not granted yet. The popup asks for the
 * access (only it can: the request needs the click), and the protection follows
 * the grant here, because the popup may be gone when the user answers: Chromium
 * closes the toolbar popup as its permission dialog opens, Firefox may too.
 * Refused, with the reason, for anything that is not one site's address.
 */
export async function protectOnGrant(origin: Origin): Promise<{ ok: true } | { ok: false; error: WriteError }> {
  const parsed = parseOriginInput(origin);
  if (!parsed.ok || parsed.origin !== origin) return { ok: false, error: { kind: 'storage', detail: 'not a site address' } };
  await pending.set(origin, { at: Date.now() });
  // The grant may have arrived before this message did.
  await completePendingGrants();
  return { ok: true };
}

/** On every permission change: protects each waiting site whose access is granted now; forgets old clicks. */
export async function completePendingGrants(now = Date.now()): Promise<void> {
  for (const [origin, { at }] of await pending.all()) {
    if (now - at > GRANT_WAIT_MS || at > now + 60_000) {
      await pending.remove(origin);
      continue;
    }
    if (!(await hasHostAccess(origin))) continue;
    await pending.remove(origin);
    const result = await setSite(origin, { kind: 'protect', on: true });
    if (!result.ok) console.warn(`Stalebuster: could not protect ${origin} after its grant:`, result.error);
  }
}
