import { describe, expect, it } from 'vitest';
import { MAX_FRAMES_PER_TAB } from './records';
import { readMap, readValue, STORED_ITEMS } from './stored-items';

const parseTabRecord = (raw: unknown) => readValue(STORED_ITEMS.tab, raw);
const parseServerCheck = (raw: unknown) => readValue(STORED_ITEMS.check, raw);
const parseTabFrames = (raw: unknown) => readValue(STORED_ITEMS.frames, raw);
const parseFingerprints = (raw: unknown) => readMap(STORED_ITEMS.fingerprints, raw);
import { MAX_REPORTED_ASSETS } from './staleness';

describe('stored detector records across versions', () => {
  const tab = { origin: 'http://localhost:8000', url: 'http://localhost:8000/', assets: [], version: null, navigation: 'navigate', docId: 'doc-1234-abcd', loadedAt: 1, reportedAt: 2, verdict: null, judgedAgainst: null };
  const check = { at: 1, view: { ok: true, assets: [], app: null, version: null }, trailingAt: null, confirmed: null };

  it('a record written before sizes were kept reads as one without sizes, never compared by size', () => {
    expect(parseTabRecord(tab)?.sizes).toEqual({ document: null, code: [] });
    expect(parseServerCheck(check)?.view).toEqual({ ok: true, assets: [], app: null, version: null, bytes: null, codeBytes: [] });
  });

  it('sizes that are not whole positive numbers, or too many files, cost that record', () => {
    expect(parseTabRecord({ ...tab, sizes: { document: -5, code: [] } })).toBeNull();
    expect(parseTabRecord({ ...tab, sizes: { document: 10, code: Array.from({ length: 65 }, (_, i) => [`http://h:1/${i}.js`, 1]) } })).toBeNull();
    expect(parseServerCheck({ ...check, view: { ...check.view, bytes: 0.5 } })).toBeNull();
    expect(parseServerCheck({ ...check, view: { ...check.view, codeBytes: Array.from({ length: 5 }, (_, i) => [`http://h:1/${i}.js`, 1]) } })).toBeNull();
  });

  it('a tab\'s frames: keyed by frame id, bounded', () => {
    const frame = { ...tab, app: 'Gradio' };
    expect(parseTabFrames({ 3: frame })).toMatchObject({ 3: { app: 'Gradio', sizes: { document: null, code: [] } } });
    // Firefox frame ids are large (15032385537 seen on ESR 153).
    expect(parseTabFrames({ 15032385537: frame })).not.toBeNull();
    expect(parseTabFrames({ top: frame })).toBeNull();
    expect(parseTabFrames(Object.fromEntries(Array.from({ length: MAX_FRAMES_PER_TAB + 1 }, (_, i) => [i, frame])))).toBeNull();
  });
});

describe('stored maps and tool kinds', () => {
  const fingerprint = { id: 'f1', app: 'gradio', version: '5.1.0', assetCount: 3, checkedAt: 1 };

  it('a stored tool kind this build does not know is dropped, never handed on as one it does', () => {
    const parsed = parseFingerprints({ a: fingerprint, b: { ...fingerprint, app: 'constructor' }, c: { ...fingerprint, app: '__proto__' } });
    expect(parsed).toEqual({ value: { a: fingerprint }, dropped: ['b', 'c'] });
    const check = { at: 1, view: { ok: true, assets: [], app: 'not-a-tool', version: null }, trailingAt: null, confirmed: null };
    expect(parseServerCheck(check)).toBeNull();
  });

  it('a map entry is read as its schema outputs it: unknown keys stripped, defaults filled in', () => {
    expect(parseFingerprints({ a: { ...fingerprint, injected: '<img onerror=x>' } })?.value.a).toEqual(fingerprint);
  });

  it('a server view past the bounds of a page report is not read back', () => {
    const check = { at: 1, view: { ok: true, assets: Array.from({ length: MAX_REPORTED_ASSETS + 1 }, (_, i) => `http://localhost:8000/${i}.js`), app: null, version: null }, trailingAt: null, confirmed: null };
    expect(parseServerCheck(check)).toBeNull();
  });
});
