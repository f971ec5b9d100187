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

/** A listener that never throws into the browser and never leaves a rejection unhandled. */
export function guarded<A extends unknown[]>(name: string, listener: (...args: A) => unknown): (...args: A) => void {
  return (...args: A) => runLogged(name, () => listener(...args));
}

function logFailure(name: string, e: unknown): void {
  console.error(`Stalebuster: ${name} failed:`, e);
}
