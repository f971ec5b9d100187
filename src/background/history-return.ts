import { isProtected } from '../core/dnr-rules';
import { classifyTabUrl } from '../core/origin';
import { grantedOrigins } from '../platform/permissions';
import { readSettings } from '../platform/storage';

/** A page came back through history: reload it when its origin is protected. */
export async function onHistoryReturn(tab: { id: number; url: string }): Promise<{ reload: boolean }> {
  const target = classifyTabUrl(tab.url);
  if (target.kind !== 'site') return { reload: false };
  const { settings } = await readSettings();
  return { reload: isProtected(settings, target.origin, await grantedOrigins(settings.customOrigins)) };
}
