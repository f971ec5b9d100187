import { describe, expect, it } from 'vitest';
import { browser } from './browser';
import { isOwnExtensionPage } from './message-handlers';
import { isOwnContentScript } from './messaging';

describe('isOwnExtensionPage', () => {
  const page = browser.runtime.getURL('src/popup/index.html');
  it('accepts this extension\'s pages only', () => {
    expect(isOwnExtensionPage({ id: browser.runtime.id, url: page })).toBe(true);
    expect(isOwnExtensionPage({ id: 'other-extension', url: page })).toBe(false);
    expect(isOwnExtensionPage({ id: browser.runtime.id, url: 'http://localhost:7860/' })).toBe(false);
    expect(isOwnExtensionPage({ id: browser.runtime.id })).toBe(false);
  });
});

describe('isOwnContentScript', () => {
  it('accepts our content script in a web page\'s top frame only', () => {
    const tab = { id: 3, index: 0, highlighted: false, active: true, pinned: false, incognito: false };
    expect(isOwnContentScript({ id: browser.runtime.id, tab, frameId: 0, url: 'http://localhost:7860/' })).toBe(true);
    expect(isOwnContentScript({ id: browser.runtime.id, tab, frameId: 2, url: 'http://localhost:7860/' })).toBe(false);
    expect(isOwnContentScript({ id: browser.runtime.id, tab, frameId: 2, url: 'http://localhost:7860/' }, { frames: true })).toBe(true);
    expect(isOwnContentScript({ id: 'other', tab, frameId: 0, url: 'http://localhost:7860/' })).toBe(false);
    expect(isOwnContentScript({ id: browser.runtime.id, frameId: 0, url: 'http://localhost:7860/' })).toBe(false);
    expect(isOwnContentScript({ id: browser.runtime.id, tab, frameId: 0, url: browser.runtime.getURL('x.html') })).toBe(false);
  });
});

describe('packagePath', () => {
  it('turns what either browser reports into one root-relative path', async () => {
    const { packagePath } = await import('./compat');
    expect(packagePath(browser.runtime.getURL('assets/x.js'))).toBe('/assets/x.js');
    expect(packagePath('assets/x.js')).toBe('/assets/x.js');
    expect(packagePath('/assets/x.js')).toBe('/assets/x.js');
  });
});
