import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failedImportUrl, isOwnCodeFailure, parseSignal, signalMayCheck, SIGNAL_CHECK_GAP_MS } from './page-signals';

const PAGE = 'http://localhost:8188';

describe('page signals', () => {
  it('accepts the two signals with a document id, and nothing else', () => {
    expect(parseSignal({ signal: 'code-failed', docId: 'doc-1234-abcd' })).toEqual({ signal: 'code-failed', docId: 'doc-1234-abcd' });
    expect(parseSignal({ signal: 'visible', docId: 'doc-1234-abcd', extra: 1 })).toEqual({ signal: 'visible', docId: 'doc-1234-abcd' });
    for (const bad of [null, 'code-failed', {}, { signal: 'reload', docId: 'doc-1234-abcd' }, { signal: 'visible' }, { signal: 'visible', docId: 'x' }, { signal: 'visible', docId: '../../etc/passwd' }, { signal: 'visible', docId: 'a'.repeat(65) }]) {
      expect(parseSignal(bad)).toBeNull();
    }
  });

  it('hostile input: whatever a page sends, a signal is one of two words and a bounded id, or nothing', () => {
    fc.assert(
      fc.property(fc.anything(), fc.oneof(fc.string(), fc.constantFrom('code-failed', 'visible')), fc.oneof(fc.string(), fc.stringMatching(/^[\w-]{8,64}$/)), (extra, signal, docId) => {
        for (const raw of [extra, { signal, docId }, { signal, docId, extra }]) {
          const parsed = parseSignal(raw);
          if (parsed === null) continue;
          expect(['code-failed', 'visible']).toContain(parsed.signal);
          expect(parsed.docId).toMatch(/^[\w-]{8,64}$/);
          expect(Object.keys(parsed).sort()).toEqual(['docId', 'signal']);
        }
      }),
    );
  });

  it('a failed load is the page’s own code only when it is of the page’s origin and a script, module or stylesheet', () => {
    expect(isOwnCodeFailure(`${PAGE}/assets/route-abc.js`, PAGE, 'module')).toBe(true);
    expect(isOwnCodeFailure(`${PAGE}/plugins/x`, PAGE, 'script')).toBe(true);
    // Chromium names an import()'s request "other": the file name decides.
    expect(isOwnCodeFailure(`${PAGE}/assets/chunk.mjs?v=2`, PAGE, 'other')).toBe(true);
    expect(isOwnCodeFailure(`${PAGE}/assets/app.CSS`, PAGE, 'other')).toBe(true);
    // Not code: a missing favicon, image or font; an API call; another origin's CDN; another port.
    expect(isOwnCodeFailure(`${PAGE}/favicon.ico`, PAGE, 'other')).toBe(false);
    expect(isOwnCodeFailure(`${PAGE}/api/queue/join`, PAGE, 'other')).toBe(false);
    expect(isOwnCodeFailure(`${PAGE}/fonts/x.woff2`, PAGE, 'other')).toBe(false);
    expect(isOwnCodeFailure('https://cdn.example/app.js', PAGE, 'script')).toBe(false);
    expect(isOwnCodeFailure('http://localhost:7860/app.js', PAGE, 'module')).toBe(false);
    expect(isOwnCodeFailure('not a url', PAGE, 'script')).toBe(false);
  });

  it('another origin is never this page’s code, whatever its path', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'https'),
        fc.constantFrom('localhost', '127.0.0.1', 'localhost.evil.example', '[::1]', 'gpu-box.local'),
        fc.integer({ min: 1, max: 65535 }),
        fc.webPath(),
        fc.constantFrom('script', 'style', 'module', 'other') as fc.Arbitrary<'script' | 'style' | 'module' | 'other'>,
        (scheme, host, port, path, kind) => {
          const url = `${scheme}://${host}:${port}${path}`;
          fc.pre(new URL(url).origin !== PAGE);
          expect(isOwnCodeFailure(url, PAGE, kind)).toBe(false);
        },
      ),
    );
  });

  it('reads the module a failed import names, in both browsers’ words', () => {
    expect(failedImportUrl(`Failed to fetch dynamically imported module: ${PAGE}/assets/route-1.js`)).toBe(`${PAGE}/assets/route-1.js`);
    expect(failedImportUrl(`error loading dynamically imported module: ${PAGE}/assets/route-1.js`)).toBe(`${PAGE}/assets/route-1.js`);
    expect(failedImportUrl('Importing a module script failed.')).toBeNull();
    expect(failedImportUrl('x is not a function')).toBeNull();
    // A message longer than any real one is read only so far.
    expect(failedImportUrl(`${'x'.repeat(10_000)} dynamically imported module: ${PAGE}/a.js`)).toBeNull();
  });

  it('one check per window per tab, however many signals', () => {
    expect(signalMayCheck(undefined, 1000)).toBe(true);
    expect(signalMayCheck(1000, 1000 + SIGNAL_CHECK_GAP_MS - 1)).toBe(false);
    expect(signalMayCheck(1000, 1000 + SIGNAL_CHECK_GAP_MS)).toBe(true);
    // A clock set back does not lock a tab out.
    expect(signalMayCheck(10_000, 5_000)).toBe(true);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 200 }), (offsets) => {
        let last: number | undefined;
        let checks = 0;
        for (const at of [...offsets].sort((a, b) => a - b)) {
          if (!signalMayCheck(last, at)) continue;
          last = at;
          checks++;
        }
        expect(checks).toBeLessThanOrEqual(Math.floor(60_000 / SIGNAL_CHECK_GAP_MS) + 1);
      }),
    );
  });
});
