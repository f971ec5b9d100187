import { describe, expect, it } from 'vitest';
import { classifyTabUrl, parseOriginInput } from './origin';

describe('parseOriginInput', () => {
  it.each([
    ['localhost:7860', 'http://localhost:7860'],
    ['  HTTP://GPU-Box.local:8188/app/index.html  ', 'http://gpu-box.local:8188'],
    ['http://192.168.1.20:7860', 'http://192.168.1.20:7860'],
    ['[::1]:8501', 'http://[::1]:8501'],
    ['http://[::1]:8501/', 'http://[::1]:8501'],
    ['https://example.com:443/x?y#z', 'https://example.com'],
    ['http://localhost:80', 'http://localhost'],
    ['127.0.0.1', 'http://127.0.0.1'],
  ])('normalises %j to %s', (input, origin) => {
    expect(parseOriginInput(input)).toEqual({ ok: true, origin });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['javascript:alert(1)', 'bad-scheme'],
    ['data:text/html,<b>x</b>', 'bad-scheme'],
    ['file:///etc/passwd', 'bad-scheme'],
    ['ftp://host:21', 'bad-scheme'],
    ['chrome://settings', 'bad-scheme'],
    ['*://*/*', 'wildcard'],
    ['http://*.example.com', 'wildcard'],
    ['<all_urls>', 'wildcard'],
    ['localhost:0', 'bad-port'],
    ['localhost:65536', 'bad-port'],
    ['localhost:99999', 'bad-port'],
    ['http://localhost:/', 'bad-port'],
    ['http://user:pw@localhost:7860', 'has-credentials'],
    ['http://exa mple.com', 'malformed'],
    ['http://a..b', 'malformed'],
    ['not a url at all', 'malformed'],
  ])('rejects %j as %s', (input, error) => {
    expect(parseOriginInput(input)).toEqual({ ok: false, error });
  });
});

describe('classifyTabUrl', () => {
  it('keeps the port in the origin', () => {
    expect(classifyTabUrl('http://localhost:7860/?__theme=dark')).toEqual({ kind: 'site', origin: 'http://localhost:7860', loopback: true });
    expect(classifyTabUrl('http://192.168.1.20:8188/')).toEqual({ kind: 'site', origin: 'http://192.168.1.20:8188', loopback: false });
  });

  it.each([
    ['chrome://extensions', 'browser-page'],
    ['about:blank', 'browser-page'],
    ['about:addons', 'browser-page'],
    ['moz-extension://abc/popup.html', 'browser-page'],
    ['https://chromewebstore.google.com/detail/x', 'web-store'],
    ['https://chrome.google.com/webstore/detail/x', 'web-store'],
    ['https://addons.mozilla.org/firefox/addon/x', 'web-store'],
    ['file:///home/me/index.html', 'file'],
    [undefined, 'no-url'],
    ['garbage', 'no-url'],
    ['ws://localhost:7860/queue', 'not-http'],
  ])('%s is restricted (%s)', (url, reason) => {
    expect(classifyTabUrl(url)).toEqual({ kind: 'restricted', reason });
  });

  it('treats chrome.google.com outside the store as a site', () => {
    expect(classifyTabUrl('https://chrome.google.com/other').kind).toBe('site');
  });
});
