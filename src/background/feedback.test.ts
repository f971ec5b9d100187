import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, it } from 'vitest';
import { openTab, page, world } from '../test/fake-extension';
import { clearAndReload } from './clear-and-reload';
import { announce } from './feedback';

describe('announce (feedback for the shortcut and the menu)', () => {
  it('marks the tab and says what was cleared', async () => {
    world.origins.set('http://localhost:7860', page());
    const tab = await openTab('http://localhost:7860/');
    await announce(tab, await clearAndReload(tab, 'shortcut'));
    expect(await fakeBrowser.action.getBadgeText({ tabId: tab })).toBe('✓');
    const notes = await fakeBrowser.notifications.getAll();
    expect(Object.keys(notes)).toEqual([`clear-${tab}`]);
  });

  it('on a restricted page says why nothing happened', async () => {
    const tab = await openTab('chrome://settings');
    await announce(tab, await clearAndReload(tab, 'menu'));
    expect(await fakeBrowser.action.getBadgeText({ tabId: tab })).toBe('!');
    expect(await fakeBrowser.action.getTitle({ tabId: tab })).toBe('restrictedBrowserPage');
    expect(world.removals).toEqual([]);
  });

  it('stays silent for a tab that is gone', async () => {
    await announce(4242, await clearAndReload(4242, 'shortcut'));
    expect(await fakeBrowser.notifications.getAll()).toEqual({});
  });
});
