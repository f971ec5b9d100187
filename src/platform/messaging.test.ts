import { describe, expect, it } from 'vitest';
import { browser } from './browser';
import { isOwnExtensionPage } from './messaging';

describe('isOwnExtensionPage', () => {
  const page = browser.runtime.getURL('src/popup/index.html');
  it('accepts this extension\'s pages only', () => {
    expect(isOwnExtensionPage({ id: browser.runtime.id, url: page })).toBe(true);
    expect(isOwnExtensionPage({ id: 'other-extension', url: page })).toBe(false);
    expect(isOwnExtensionPage({ id: browser.runtime.id, url: 'http://localhost:7860/' })).toBe(false);
    expect(isOwnExtensionPage({ id: browser.runtime.id })).toBe(false);
  });
});
