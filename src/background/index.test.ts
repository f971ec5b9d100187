/**
 * The background's entry point, loaded as the browser loads it, against the
 * stateful fake: its top-level listeners registered, its events fired.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VERSIONS_KEY } from '../core/stored-items';
import { CONTEXT_MENU_ID } from '../platform/commands';
import { fake, openTab, page, stopWorker, world } from '../test/fake-extension';

const POPUP = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('src/popup/index.html') });

async function loadBackground(): Promise<void> {
  stopWorker(); // the listeners of the test set-up's modules go with their worker
  vi.resetModules();
  await import('./index');
  // The worker's start (stored items brought up to their versions) is done before the test looks at storage.
  await (await import('./guarded')).whenStarted();
  await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.1.0' });
}

const removed: [Record<string, unknown>, string, unknown][] = [];
/** Takes an API away, as a browser without it (Firefox for Android: MDN browser-compat-data). */
function without(owner: Record<string, unknown>, key: string): void {
  removed.push([owner, key, owner[key]]);
  delete owner[key];
}
afterEach(() => {
  for (const [owner, key, value] of removed.splice(0)) owner[key] = value;
});

describe('background entry point', () => {
  it('on a browser without commands, context menus or managed storage it still starts and answers the popup', async () => {
    without(fake, 'commands');
    without(fake, 'contextMenus');
    without(fakeBrowser.storage as unknown as Record<string, unknown>, 'managed');
    await loadBackground();
    const tab = await openTab('http://localhost:7860/');
    const [state] = await fakeBrowser.runtime.onMessage.trigger({ type: 'popup-state', tabId: tab }, POPUP(), () => undefined);
    expect(state).toMatchObject({ status: { target: { kind: 'site', origin: 'http://localhost:7860' }, intended: true }, managed: { managed: false } });
    // The rules were still installed by the set-up.
    expect(world.rules.map((r) => r.condition.urlFilter)).toContain('|http://localhost:7860/');
  });

  it('the keyboard shortcut clears and reloads the tab it names', async () => {
    await loadBackground();
    const tab = await openTab('http://localhost:7860/');
    world.origins.set('http://localhost:7860', { serviceWorkers: 1, caches: ['shell'], databases: [], localStorage: {}, sessionStorage: {}, usage: 1 });
    await fake.commands.onCommand.trigger('clear-and-reload', { id: tab });
    await vi.waitFor(() => expect(world.reloads).toEqual([{ tabId: tab, bypassCache: true }]));
    expect(world.origins.get('http://localhost:7860')).toMatchObject({ serviceWorkers: 0, caches: [] });
  });
  it('the context menu clears and reloads the tab it was opened in', async () => {
    await loadBackground();
    const tab = await openTab('http://localhost:7860/');
    world.origins.set('http://localhost:7860', { serviceWorkers: 1, caches: ['shell'], databases: [], localStorage: {}, sessionStorage: {}, usage: 1 });
    await fake.contextMenus.onClicked.trigger({ menuItemId: 'something-else' }, { id: tab });
    await fake.contextMenus.onClicked.trigger({ menuItemId: CONTEXT_MENU_ID }, { id: tab });
    await vi.waitFor(() => expect(world.reloads).toEqual([{ tabId: tab, bypassCache: true }]));
    expect(world.origins.get('http://localhost:7860')).toMatchObject({ serviceWorkers: 0, caches: [] });
  });

  it("the notification's Undo button puts back the site data the shortcut's clear removed", async () => {
    await loadBackground();
    const tab = await openTab('http://localhost:7860/');
    world.origins.set('http://localhost:7860', page({ records: 20, localStorage: { draft: 'half a prompt' } }));
    await fake.commands.onCommand.trigger('clear-and-reload', { id: tab });
    await vi.waitFor(() => expect(world.notifications.get(`clear-${tab}`)?.buttons).toEqual([{ title: 'undoButton' }]));
    expect(world.origins.get('http://localhost:7860')).toMatchObject({ localStorage: {}, databases: [] });

    await fakeBrowser.notifications.onButtonClicked.trigger(`clear-${tab}`, 0);
    await vi.waitFor(() => expect(world.notifications.get(`clear-${tab}`)?.title).toBe('undoneTitle(localhost:7860)'));
    expect(world.origins.get('http://localhost:7860')).toMatchObject({ localStorage: { draft: 'half a prompt' }, records: 20 });
    // The notice is used up with it: a second click finds nothing to undo.
    expect(Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k.startsWith('undo-notice:'))).toEqual([]);
  });

  it('a report stored by 0.1.0 is brought up to its version before the popup reads it', async () => {
    const report = {
      origin: 'http://localhost:7860', at: 1, trigger: 'popup', pageStep: 'done', keptSiteData: false, cookies: false,
      serviceWorkers: 1, caches: ['shell'], indexedDB: [], localStorageItems: 0, sessionStorageItems: 0, bytesBefore: null, bytesAfter: null,
    };
    await fakeBrowser.storage.local.set({ reports: { 'http://localhost:7860': report } });
    stopWorker();
    vi.resetModules();
    await import('./index');
    const tab = await openTab('http://localhost:7860/');
    // Asked at once, while the worker starts: the answer waits for the migration.
    const [state] = await fakeBrowser.runtime.onMessage.trigger({ type: 'popup-state', tabId: tab }, POPUP(), () => undefined);
    expect(state).toMatchObject({ report: { origin: 'http://localhost:7860', undo: null, keptSiteDataBecause: null } });
    expect((await fakeBrowser.storage.local.get(VERSIONS_KEY))[VERSIONS_KEY]).toMatchObject({ reports: 2 });
  });
});

describe('the worker start', () => {
  it('a migration that fails (storage full) does not keep a dead worker\'s script pause on the tab', async () => {
    const tab = await openTab('http://localhost:7860/');
    world.sessionRules = [{ id: 4242, priority: 100, action: { type: 'modifyHeaders' }, condition: { urlFilter: '|http://localhost:7860/', tabIds: [tab] } } as never];
    await fakeBrowser.storage.session.set({ 'pause:4242': { origin: 'http://localhost:7860', tabIds: [tab], at: Date.now() } });
    await fakeBrowser.storage.local.set({ storedVersions: 'damaged' }); // so the start has versions to write
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    fakeBrowser.storage.local.set = async () => Promise.reject(new Error('QUOTA_BYTES quota exceeded'));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      stopWorker();
      vi.resetModules();
      await import('./index');
      await (await import('./guarded')).whenStarted();
    } finally {
      fakeBrowser.storage.local.set = set;
    }
    expect(world.sessionRules).toEqual([]);
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: true }]);
    expect(errors.mock.calls.some(([message]) => String(message).includes('start failed'))).toBe(true);
    errors.mockRestore();
  });
});

describe('what the background keeps is bounded', () => {
  it('a closed tab takes its Undo notice, its detector record and its clear journal with it', async () => {
    await loadBackground();
    const tab = await openTab('http://localhost:7860/');
    await fakeBrowser.storage.session.set({
      [`undo-notice:clear-${tab}`]: { snapshotId: 's1', tabId: tab },
      [`clear:${tab}`]: { origin: 'http://localhost:7860', trigger: 'popup', startedAt: Date.now(), finishedAt: Date.now(), noticed: false },
    });
    await fakeBrowser.tabs.onRemoved.trigger(tab, { windowId: 1, isWindowClosing: false });
    await vi.waitFor(async () => expect(Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k !== VERSIONS_KEY)).toEqual([]));
  });
});
