import { afterEach, describe, expect, it, vi } from 'vitest';
import { guarded, startWorker, whenStarted } from './guarded';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  startWorker(() => Promise.resolve());
  vi.restoreAllMocks();
});

describe('the worker start and the listeners that wait for it', () => {
  it('an event that arrives during the start is handled after it, in order', async () => {
    const start = deferred();
    const seen: string[] = [];
    startWorker(async () => {
      await start.promise;
      seen.push('started');
    });
    guarded('first', () => void seen.push('first'))();
    guarded('second', () => void seen.push('second'))();
    await settle();
    expect(seen).toEqual([]);
    start.resolve();
    await whenStarted();
    await settle();
    expect(seen).toEqual(['started', 'first', 'second']);
  });

  it('a start that fails is logged, and events are handled anyway', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const start = deferred();
    startWorker(() => start.promise);
    let handled = false;
    guarded('event', () => void (handled = true))();
    start.reject(new Error('storage unavailable'));
    await whenStarted();
    await settle();
    expect(handled).toBe(true);
    expect(errors).toHaveBeenCalledWith('Stalebuster: start failed:', expect.any(Error));
  });

  it('a listener that throws or rejects is logged with its name and never reaches the browser', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => guarded('sync', () => { throw new Error('boom'); })()).not.toThrow();
    guarded('async', () => Promise.reject(new Error('late boom')))();
    await settle();
    expect(errors.mock.calls.map((c) => c[0])).toEqual(['Stalebuster: sync failed:', 'Stalebuster: async failed:']);
  });
});
