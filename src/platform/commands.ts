/**
 * The ways a user starts an action outside the popup: the keyboard shortcut,
 * the page's context menu, and the pages that configure them. Each where the
 * browser has it (Firefox for Android has neither shortcuts nor menus).
 */
import { browser } from './browser';
import { optionalApi } from './compat';

export const CONTEXT_MENU_ID = 'clear-and-reload';
export const COMMAND_ID = 'clear-and-reload';

/** The page's context-menu entry, where the browser has menus (not Firefox for Android). */
export async function createContextMenu(title: string): Promise<void> {
  const menus = optionalApi('contextMenus');
  if (!menus) return;
  await menus.removeAll();
  menus.create({
    id: CONTEXT_MENU_ID,
    title,
    contexts: ['page', 'frame'],
    documentUrlPatterns: ['http://*/*', 'https://*/*'],
  });
}

/** The shortcut the browser actually bound; empty when another extension or the OS took it, or the browser has none. */
export async function boundShortcut(): Promise<string> {
  const commands = optionalApi('commands');
  if (!commands) return '';
  return (await commands.getAll()).find((c) => c.name === COMMAND_ID)?.shortcut ?? '';
}

/** The keyboard shortcut was pressed (no-op where the browser has no shortcuts). */
export function onShortcut(listener: (command: string, tab?: { id?: number }) => void): void {
  optionalApi('commands')?.onCommand.addListener(listener);
}

/** The context-menu entry was chosen (no-op where the browser has no menus). */
export function onMenuClick(listener: (info: { menuItemId: string | number }, tab?: { id?: number }) => void): void {
  optionalApi('contextMenus')?.onClicked.addListener(listener);
}

/**
 * Firefox 137+ has `commands.openShortcutSettings`; Chromium lets an extension
 * open its own shortcuts page by URL.
 */
export async function openShortcutSettings(): Promise<void> {
  const commands = browser.commands as { openShortcutSettings?: () => Promise<void> };
  if (typeof commands.openShortcutSettings === 'function') await commands.openShortcutSettings();
  else await browser.tabs.create({ url: 'chrome://extensions/shortcuts' });
}

export function openOptionsPage(): Promise<void> {
  return browser.runtime.openOptionsPage();
}
