import { browser } from './browser';
import { packagePath } from './compat';

const ADDED_SITES_ID = 'page-report-added-sites';
/** 0.1.0 registered the same script under this id. */
const LEGACY_IDS = ['history-freshness-added-sites'];

/**
 * The page-report script is declared in the manifest for loopback hosts. Sites
 * the user adds get the same built file registered at runtime, once their host
 * permission is granted; the file name comes from the manifest, since the build
 * hashes it.
 */
export async function syncAddedSiteScripts(hostPatterns: string[]): Promise<void> {
  const declared = browser.runtime.getManifest().content_scripts?.[0]?.js?.[0];
  if (!declared) return;
  const file = packagePath(declared);
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [ADDED_SITES_ID, ...LEGACY_IDS] });
  if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: registered.map((s) => s.id) });
  if (hostPatterns.length === 0) return;
  await browser.scripting.registerContentScripts([
    { id: ADDED_SITES_ID, matches: hostPatterns, js: [file], runAt: 'document_start', allFrames: true, persistAcrossSessions: true },
  ]);
}
