import { CHECK_WINDOW_MS, type ServerView } from '../core/staleness';
import { records } from '../platform/storage';
import { STORED_ITEMS } from '../core/stored-items';
import { fetchServerView } from './server-view';

export { CHECK_WINDOW_MS };

export const serverChecks = records(STORED_ITEMS.check);

/**
 * Asks the server for `url` once per `pending` map at a time; callers arriving
 * meanwhile share the answer, which becomes the URL's last check.
 */
function askOnce(pending: Map<string, Promise<ServerView>>, url: string): Promise<ServerView> {
  let asked = pending.get(url);
  if (!asked) {
    const at = Date.now();
    asked = fetchServerView(url)
      .then(async (view) => {
        await serverChecks.update(url, (prev) => ({ at, view, trailingAt: prev?.trailingAt ?? null, confirmed: prev?.confirmed ?? null }));
        return view;
      })
      .finally(() => pending.delete(url));
    pending.set(url, asked);
  }
  return asked;
}

const inflight = new Map<string, Promise<ServerView>>();
const seconds = new Map<string, Promise<ServerView>>();

/** One request per URL at a time; callers arriving meanwhile share its answer. */
const fetchShared = (url: string) => askOnce(inflight, url);

/**
 * A second answer of the server, asked now whatever the window says: a stale
 * verdict is shown or acted on only when two answers agree (see
 * core/staleness compareAnswers). Only a verdict that reads "old" costs it.
 */
export function secondOpinion(url: string): Promise<ServerView> {
  // Not the first request's map: the second answer must be a request of its own. Checks that race
  // (ten tabs, a page reloading itself) share one second request too.
  return askOnce(seconds, url);
}

/** Two answers agreed on `viewId`: later checks that get the same answer need no second request. */
export async function markConfirmed(url: string, viewId: string): Promise<void> {
  await serverChecks.update(url, (c) => c && { ...c, confirmed: viewId });
}

export async function confirmedFor(url: string): Promise<string | null> {
  return (await serverChecks.get(url))?.confirmed ?? null;
}

type TrailingHandler = (url: string) => Promise<void>;
let onTrailing: TrailingHandler = async () => undefined;

/** Who judges the tabs again when a trailing check has run (set once at start-up). */
export function setTrailingHandler(handler: TrailingHandler): void {
  onTrailing = handler;
}

async function runTrailing(url: string): Promise<void> {
  const check = await serverChecks.get(url);
  if (!check?.trailingAt) return;
  await serverChecks.update(url, (c) => c && { ...c, trailingAt: null });
  await fetchShared(url);
  await onTrailing(url);
}

function schedule(url: string, dueAt: number): void {
  // A stopped worker loses this timer; resumeTrailingChecks() runs what is overdue when it starts again.
  setTimeout(() => void runTrailing(url).catch((e) => console.warn('Stalebuster: trailing check failed:', e)), Math.max(0, dueAt - Date.now()));
}

/**
 * What the server serves for `url`: a fresh request, or the answer of one made
 * less than a window ago (then a trailing check is due at the window's end).
 * `force` (the user opened the popup) always asks the server.
 */
export async function serverView(url: string, opts: { force?: boolean } = {}): Promise<ServerView> {
  const now = Date.now();
  const last = await serverChecks.get(url);
  if (opts.force || !last || now - last.at >= CHECK_WINDOW_MS) return fetchShared(url);
  if (last.trailingAt === null) {
    const dueAt = last.at + CHECK_WINDOW_MS;
    let scheduled = false;
    await serverChecks.update(url, (c) => {
      if (!c || c.trailingAt !== null) return c;
      scheduled = true;
      return { ...c, trailingAt: dueAt };
    });
    if (scheduled) schedule(url, dueAt);
  }
  return last.view;
}

/** A new worker runs the trailing checks the stopped one had scheduled. */
export async function resumeTrailingChecks(): Promise<void> {
  for (const [url, check] of await serverChecks.all()) {
    if (check.trailingAt !== null) schedule(url, check.trailingAt);
  }
}

/** Forgets checks nobody has needed for a while (storage.session has a quota). */
export async function pruneServerChecks(keep: ReadonlySet<string>, olderThanMs = 10 * 60_000): Promise<void> {
  const now = Date.now();
  for (const [url, check] of await serverChecks.all()) {
    if (!keep.has(url) && check.trailingAt === null && now - check.at > olderThanMs) await serverChecks.remove(url);
  }
}
