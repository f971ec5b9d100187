import type { Origin } from '../core/origin';
import { isLoopbackHost } from '../core/permissions';
import { withFoundOrigin, type Settings } from '../core/settings';
import type { PageReport, ServerView } from '../core/staleness';
import { records, updateSettings } from '../platform/storage';
import { STORED_ITEMS } from '../core/stored-items';
import { syncRules } from './rules-sync';
import { serverView } from './server-checks';

const recognitions = records(STORED_ITEMS.recognised);

/**
 * A loopback page on an unprotected port whose own markers say it is a known AI
 * tool (Gradio's <gradio-app>, "ComfyUI" in the title…) is confirmed by one
 * request of the background's own — the page's word is not enough — and, if the
 * served HTML is a known tool too, protected from then on ("Found
 * automatically"). At most one request per origin per browser session; a plain
 * page (no markers) costs none. Returns the server view it fetched, if it
 * protected the origin.
 */
export async function recognise(settings: Settings, origin: Origin, url: string, report: PageReport): Promise<ServerView | null> {
  if (!settings.autoProtect || report.app === null || !isLoopbackHost(new URL(origin).hostname)) return null;
  // Found before, paused or removed by the user: not ours to turn back on.
  if (settings.foundOrigins.includes(origin) || settings.dismissedOrigins.includes(origin) || settings.sites[origin]?.protect === false) return null;
  let first = false;
  await recognitions.update(origin, (prev) => {
    if (prev) return prev;
    first = true;
    return { at: Date.now(), app: null };
  });
  if (!first) return null;

  const view = await serverView(url, { force: true });
  if (!view.ok || view.app === null) return null;
  await recognitions.set(origin, { at: Date.now(), app: view.app });
  const next = await updateSettings((s) => withFoundOrigin(s, origin));
  if (!next.foundOrigins.includes(origin)) return null;
  // The rules before the answer: the next load of this app is already protected.
  await syncRules();
  return view;
}
