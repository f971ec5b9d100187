/** Strings and times in the language the extension's strings are shown in. */
import { browser } from './browser';

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

/** A short local time ("14:05"). */
export function shortTime(at: number): string {
  return new Date(at).toLocaleTimeString(uiLanguage(), { hour: '2-digit', minute: '2-digit' });
}

/** A moment within the next day: "14:05" today, "Sat 14:05" later ("Undo until Sat 14:05"). */
export function untilTime(at: number): string {
  const today = new Date().toDateString() === new Date(at).toDateString();
  return today ? shortTime(at) : new Date(at).toLocaleString(uiLanguage(), { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}
