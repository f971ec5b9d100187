import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContentMessage as parseContent, parseUiMessage as parseUi } from './commands';

const parseContentMessage = (raw: unknown) => parseContent(raw)?.message ?? null;
const parseUiMessage = (raw: unknown) => parseUi(raw)?.message ?? null;

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

describe('commands are declared once, with who may send them', () => {
  it('a site option sent as undefined is refused, not read as "back to the default" (Firefox keeps undefined keys)', () => {
    const change = (patch: Record<string, unknown>) => parseUiMessage({ type: 'set-site', origin: 'http://localhost:7860', change: { kind: 'options', patch } });
    expect(change({ autoClear: true })).toEqual({ type: 'set-site', origin: 'http://localhost:7860', change: { kind: 'options', patch: { autoClear: true } } });
    expect(change({ autoClear: undefined })).toBeNull();
    expect(change({ mode: undefined })).toBeNull();
    expect(change({ autoClear: 'yes' })).toBeNull();
    expect(change({ toString: true })).toBeNull();
  });

  it('a name that is not a declared command is refused, Object.prototype\'s names included', () => {
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'eval']) {
      expect(parseUi({ type, tabId: 1 }), type).toBeNull();
      expect(parseContent({ type, docId: 'doc-1234-abcd' }), type).toBeNull();
    }
  });

  it('each command says who may send it: pages ask the privileged commands, content scripts only about their own tab', () => {
    expect(parseUi({ type: 'clear-tab', tabId: 1 })?.from).toBe('extension-page');
    expect(parseContent({ type: 'notice-clear', docId: 'doc-1234-abcd' })?.from).toBe('content-script');
    expect(parseContent({ type: 'page-signal', signal: 'visible', docId: 'doc-1234-abcd' })?.from).toBe('content-script');
    // A page's own report is the only thing a frame may send (an embedded app is judged, never acted on).
    expect(parseContent({ type: 'page-report', assets: [], app: null, version: null, navigation: 'navigate', docId: 'doc-1234-abcd', loadedAt: 1, sizes: { document: null, code: [] } })?.from).toBe('content-script-in-any-frame');
    // The two tables are apart: a content script cannot name a page's command, nor a page a content script's.
    expect(parseContent({ type: 'clear-tab', tabId: 1 })).toBeNull();
    expect(parseUi({ type: 'notice-clear', docId: 'doc-1234-abcd' })).toBeNull();
  });

  it('property: whatever arrives, the answer is null or a declared command whose fields are only the declared ones', () => {
    const known = ['clear-tab', 'undo', 'forget-site', 'delete-backups', 'tab-status', 'check-version', 'check-tab', 'popup-state', 'set-site', 'edit-settings', 'settings-aside', 'resume-auto', 'protect-offer', 'protect-on-grant'];
    fc.assert(
      fc.property(fc.record({ type: fc.oneof(fc.constantFrom(...known), fc.string()), tabId: fc.anything(), origin: fc.anything(), extra: fc.anything() }, { requiredKeys: ['type'] }), (raw) => {
        const parsed = parseUi(raw);
        if (parsed === null) return;
        expect(known).toContain(parsed.message.type);
        expect(parsed.message).not.toHaveProperty('extra');
        if ('tabId' in parsed.message && parsed.message.tabId !== undefined) expect(Number.isInteger(parsed.message.tabId) && parsed.message.tabId >= 0).toBe(true);
      }),
    );
  });
});
