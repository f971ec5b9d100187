import { browser } from './browser';
import { packagePath } from './compat';

const ADDED_SITES_ID = 'history-freshness-added-sites';

/**
 * The Back/Forward script is declared in the manifest for loopback hosts. Sites
 * the user adds get the same built file registered at runtime, once their host
 * permission is granted; the file name comes from the manifest, since the build
 * hashes it.
 */
export async function syncAddedSiteScripts(hostPatterns: string[]): Promise<void> {
  const declared = browser.runtime.getManifest().content_scripts?.[0]?.js?.[0];
  if (!declared) return;
  const file = packagePath(declared);
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [ADDED_SITES_ID] });
  if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [ADDED_SITES_ID] });
  if (hostPatterns.length === 0) return;
  await browser.scripting.registerContentScripts([
    { id: ADDED_SITES_ID, matches: hostPatterns, js: [file], runAt: 'document_start', persistAcrossSessions: true },
  ]);
}
