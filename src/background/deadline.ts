/**
 * Long work of the background under a deadline. An extension service worker
 * whose single event or request runs longer than five minutes is ended by
 * Chromium ("The extension service worker lifecycle", developer.chrome.com),
 * and work cut off by that is lost with it: a backup or restore that has not
 * finished within WORKER_WORK_MS has failed, and says so.
 */
export const WORKER_WORK_MS = 4 * 60_000 + 30_000;

/** `work`, or an error once `ms` have passed; the timer never outlives it. */
export async function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
