import { browser } from './browser';
import { optionalApi } from './compat';

/** Localised string; falls back to the key so a missing translation is visible, not blank. */
export function t(key: string, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}

/**
 * The language the extension's strings are shown in. Each translation names
 * itself: getUILanguage() and @@ui_locale report the browser's UI language,
 * which differs when the browser has no matching translation or --lang is set.
 */
export function uiLanguage(): string {
  return browser.i18n.getMessage('htmlLang') || browser.i18n.getUILanguage();
}

/** `buttons` only where the browser has them (see compat.notificationButtons). */
export async function notify(id: string, title: string, message: string, buttons: string[] = []): Promise<void> {
  const options = {
    type: 'basic',
    iconUrl: browser.runtime.getURL('icons/icon-128.png'),
    title,
    message,
    ...(buttons.length > 0 ? { buttons: buttons.map((b) => ({ title: b })) } : {}),
  };
  try {
    await browser.notifications.create(id, options as never);
  } catch {
    // Notifications can be disabled system-wide; the badge still tells the user.
  }
}

export function onNotificationButton(listener: (notificationId: string, index: number) => void): void {
  // Firefox has no notification buttons (and no such event): guarded by capability.
  (browser.notifications as { onButtonClicked?: { addListener(l: (id: string, i: number) => void): void } }).onButtonClicked?.addListener(listener);
}

/** A short local time ("14:05"). */
export function shortTime(at: number): string {
  return new Date(at).toLocaleTimeString(uiLanguage(), { hour: '2-digit', minute: '2-digit' });
}

/** A moment within the next day: "14:05" today, "Sat 14:05" later ("Undo until Sat 14:05"). */
export function untilTime(at: number): string {
  const today = new Date().toDateString() === new Date(at).toDateString();
  return today ? shortTime(at) : new Date(at).toLocaleString(uiLanguage(), { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}

export async function setTabBadge(tabId: number, text: string, color: string, title?: string): Promise<void> {
  try {
    await browser.action.setBadgeBackgroundColor({ tabId, color });
    await browser.action.setBadgeText({ tabId, text });
    if (title !== undefined) await browser.action.setTitle({ tabId, title });
  } catch {
    // The tab closed meanwhile.
  }
}

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

export function openOptionsPage(): Promise<void> {
  return browser.runtime.openOptionsPage();
}

export async function activeTab(): Promise<{ id: number; url: string | undefined } | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id === undefined ? null : { id: tab.id, url: tab.url };
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

/** Back to the extension's own badge and title for this tab. */
export async function clearTabBadge(tabId: number): Promise<void> {
  try {
    await browser.action.setBadgeText({ tabId, text: '' });
    await browser.action.setTitle({ tabId, title: t('actionTitle') });
  } catch {
    // The tab closed meanwhile.
  }
}

/** The toolbar button says, on every tab, that protection is not in force (null: it is again). */
export async function showRulesFailure(error: string | null): Promise<void> {
  try {
    if (error === null) {
      await browser.action.setBadgeText({ text: '' });
      await browser.action.setTitle({ title: t('actionTitle') });
    } else {
      await browser.action.setBadgeBackgroundColor({ color: '#c4271c' });
      await browser.action.setBadgeText({ text: '!' });
      await browser.action.setTitle({ title: t('rulesFailedTitle', error) });
    }
  } catch {
    // No toolbar button to update (never expected); the popup and options still say it.
  }
}
