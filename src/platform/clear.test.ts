import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, it } from 'vitest';
import { TabGoneError, TabNavigatedError, whilePageStays } from './clear';

const never = new Promise<never>(() => undefined);
const tab = { id: 7, index: 0, highlighted: false, active: true, pinned: false, incognito: false } as never;

describe('a call into a page that goes away', () => {
  it('ends with TabNavigatedError once the tab has loaded another document for the grace period', async () => {
    const call = whilePageStays(7, never, 20);
    await fakeBrowser.tabs.onUpdated.trigger(7, { status: 'loading' }, tab);
    await expect(call).rejects.toBeInstanceOf(TabNavigatedError);
  });

  it('still answers when it settles within the grace period (a pushState that reports "loading")', async () => {
    let finish!: (v: string) => void;
    const call = whilePageStays(7, new Promise<string>((r) => (finish = r)), 200);
    await fakeBrowser.tabs.onUpdated.trigger(7, { status: 'loading' }, tab);
    finish('done');
    await expect(call).resolves.toBe('done');
  });

  it('ends with TabGoneError at once when the tab closes, and ignores other tabs', async () => {
    const call = whilePageStays(7, never, 10_000);
    await fakeBrowser.tabs.onUpdated.trigger(8, { status: 'loading' }, { ...(tab as object), id: 8 } as never);
    await fakeBrowser.tabs.onRemoved.trigger(8, { windowId: 1, isWindowClosing: false });
    await fakeBrowser.tabs.onRemoved.trigger(7, { windowId: 1, isWindowClosing: false });
    await expect(call).rejects.toBeInstanceOf(TabGoneError);
  });

  it('passes the call\'s own answer and error through, and leaves no listener behind', async () => {
    await expect(whilePageStays(7, Promise.resolve(1))).resolves.toBe(1);
    await expect(whilePageStays(7, Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(fakeBrowser.tabs.onUpdated.hasListeners()).toBe(false);
    expect(fakeBrowser.tabs.onRemoved.hasListeners()).toBe(false);
  });
});
