/**
 * Every event listener and every task the background lets run on its own goes
 * through here: a failure is caught and logged with what failed. 0.2.0 started
 * about fifteen promises from its listeners without a catch, and a failed
 * auto-clear left no trace at all.
 */
export function runLogged(name: string, task: () => unknown): void {
  try {
    const result = task();
    if (result instanceof Promise) result.catch((e: unknown) => logFailure(name, e));
  } catch (e) {
    logFailure(name, e);
  }
}

let started: Promise<void> = Promise.resolve();

/**
 * The worker's start, once per worker lifetime: what must hold before any event
 * is handled (uBlock Origin Lite's single start promise). Listeners are still
 * registered at top level, so the browser delivers the event that woke the
 * worker; each waits for this first. A failed start is logged, and events are
 * handled anyway.
 */
export function startWorker(work: () => Promise<unknown>): void {
  started = work().then(
    () => undefined,
    (e: unknown) => logFailure('start', e),
  );
}

/** Resolves once the worker's start is done (see startWorker). */
export function whenStarted(): Promise<void> {
  return started;
}

/** A listener that waits for the worker's start, never throws into the browser and never leaves a rejection unhandled. */
export function guarded<A extends unknown[]>(name: string, listener: (...args: A) => unknown): (...args: A) => void {
  return (...args: A) =>
    runLogged(name, async () => {
      await started;
      return listener(...args);
    });
}

function logFailure(name: string, e: unknown): void {
  console.error(`Stalebuster: ${name} failed:`, e);
}
