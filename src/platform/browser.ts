/**
 * The only module that imports webextension-polyfill. Everything else in
 * src/platform wraps it; core and UI code never touch browser globals.
 */
import browser from 'webextension-polyfill';

export { browser };
export type { BrowsingData, DeclarativeNetRequest, Runtime } from 'webextension-polyfill';
