import { describe, expect, it } from 'vitest';
import { parseContentMessage, parseUiMessage } from './message-parsers';

describe('parseUiMessage', () => {
  it('accepts the contract', () => {
    expect(parseUiMessage({ type: 'clear-tab', tabId: 3 })).toEqual({ type: 'clear-tab', tabId: 3, withoutUndo: false, keepSiteData: false });
    expect(parseUiMessage({ type: 'clear-tab', tabId: 3, withoutUndo: true, evil: 1 })).toEqual({ type: 'clear-tab', tabId: 3, withoutUndo: true, keepSiteData: false });
    expect(parseUiMessage({ type: 'undo', snapshotId: 'abc', tabId: 4 })).toEqual({ type: 'undo', snapshotId: 'abc', tabId: 4 });
    expect(parseUiMessage({ type: 'delete-backups', all: true })).toEqual({ type: 'delete-backups', all: true });
    expect(parseUiMessage({ type: 'check-version', origin: 'http://localhost:7860' })).toEqual({ type: 'check-version', origin: 'http://localhost:7860' });
  });

  it.each([null, 'clear-tab', {}, { type: 'eval', code: 'x' }, { type: 'clear-tab' }, { type: 'clear-tab', tabId: -1 }, { type: 'tab-status', tabId: 1.5 }, { type: 'check-version', origin: 7 }, { type: 'undo' }, { type: 'undo', snapshotId: 5 }, { type: 'delete-backups' }])(
    'ignores %j',
    (raw) => {
      expect(parseUiMessage(raw)).toBeNull();
    },
  );
});

describe('set-site: a page outside the apps becomes an app', () => {
  const O = 'http://lab.test:8080';
  it('takes an app path, and only one a URL spells as is', () => {
    expect(parseUiMessage({ type: 'set-site', origin: O, change: { kind: 'add-app', path: '/other/' } })).toEqual({ type: 'set-site', origin: O, change: { kind: 'add-app', path: '/other/' } });
    for (const path of ['/', '/../', '/other', '//x/', 7, undefined]) {
      expect(parseUiMessage({ type: 'set-site', origin: O, change: { kind: 'add-app', path } })).toBeNull();
    }
  });
});

describe('parseContentMessage', () => {
  it('tells a page signal from a page report, and drops anything else', () => {
    expect(parseContentMessage({ type: 'page-signal', signal: 'code-failed', docId: 'doc-1234-abcd', tabId: 7 })).toEqual({ type: 'page-signal', signal: 'code-failed', docId: 'doc-1234-abcd' });
    expect(parseContentMessage({ type: 'page-report', assets: [], app: null, version: null, navigation: 'navigate', docId: 'doc-1234-abcd', loadedAt: 1, sizes: { document: null, code: [] } })).toMatchObject({ type: 'page-report' });
    expect(parseContentMessage({ type: 'notice-clear', docId: 'doc-1234-abcd', tabId: 3 })).toEqual({ type: 'notice-clear', docId: 'doc-1234-abcd' });
    for (const raw of [null, { type: 'notice-clear' }, { type: 'notice-clear', docId: '<script>' }, { type: 'page-signal' }, { type: 'page-signal', signal: 'reload', docId: 'doc-1234-abcd' }, { type: 'clear-tab', tabId: 1 }, { type: 'page-report', signal: 'visible', docId: 'doc-1234-abcd' }]) {
      expect(parseContentMessage(raw)).toBeNull();
    }
  });
});
