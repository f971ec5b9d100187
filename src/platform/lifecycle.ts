/**
 * The extension's own lifecycle events and its one repeating alarm, so the
 * background wires them without touching browser APIs itself.
 */
import { browser } from './browser';

/** Installed or updated (`reason` 'install' on first install). */
export function onInstalled(listener: (details: { reason: string }) => void): void {
  browser.runtime.onInstalled.addListener(listener);
}

/** The browser started with the extension already installed. */
export function onBrowserStartup(listener: () => void): void {
  browser.runtime.onStartup.addListener(listener);
}

/** A repeating alarm: it survives the worker being stopped, which a timer does not. */
export async function repeatAlarm(name: string, periodInMinutes: number): Promise<void> {
  await browser.alarms.create(name, { periodInMinutes });
}

export function onAlarm(listener: (alarm: { name: string }) => void): void {
  browser.alarms.onAlarm.addListener(listener);
}
