import { APP_NAMES, detectApp, detectAppByStructure } from '../core/fingerprint';
import { effectiveSettings, lockedBy } from '../core/managed';
import type { ProtectOffer } from '../core/messages';
import { hostKind } from '../core/network';
import { readPolicy } from '../platform/managed';
import { readSettings } from '../platform/storage';
import { tabAppMarkers } from '../platform/tabs';
import { tabStatus } from './tab-status';

/**
 * The popup's offer on a site that is not protected: the page, read in place
 * with the access the click on the toolbar button grants, is a known AI tool.
 * The page's word is enough for an offer (the user decides; nothing is
 * protected without the click), never for protecting by itself. Reads nothing
 * on a protected site, and no server is asked.
 */
export async function protectOffer(tabId: number): Promise<ProtectOffer | null> {
  const [{ settings }, { policy }] = await Promise.all([readSettings(), readPolicy()]);
  const status = await tabStatus(tabId, effectiveSettings(settings, policy));
  if (status.target.kind !== 'site' || status.intended) return null;
  const { origin } = status.target;
  if (lockedBy(policy).origin(origin).locked) return null;
  const markers = await tabAppMarkers(tabId);
  if (markers === null) return null;
  const network = hostKind(new URL(origin).hostname);
  // A page on the internet must be built like the tool, not merely name it (docs, release pages, npm).
  const app = network === 'public' ? detectAppByStructure(markers) : detectApp(markers);
  return app ? { origin, app: APP_NAMES[app], network } : null;
}
