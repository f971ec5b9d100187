import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, exportSettings, parseImport } from './import-export';
import { LIMITS, defaultSettings, withCustomOrigin } from './settings';

describe('import / export', () => {
  it('round-trips', () => {
    const s = withCustomOrigin(defaultSettings(), 'http://gpu-box.local:8188');
    expect(parseImport(exportSettings(s))).toEqual({ ok: true, settings: s });
  });

  it('refuses a file that is not JSON', () => {
    expect(parseImport('{ not json')).toMatchObject({ ok: false, error: 'not-json' });
  });

  it.each([
    ['an empty object', '{}'],
    ['null', 'null'],
    ['a bad origin', JSON.stringify({ ...defaultSettings(), customOrigins: ['*://*/*'] })],
    ['another extension\'s settings', JSON.stringify({ theme: 'dark' })],
  ])('refuses %s, with a reason', (_, text) => {
    const result = parseImport(text);
    expect(result).toMatchObject({ ok: false, error: 'invalid' });
    if (!result.ok && result.error === 'invalid') expect(result.detail).not.toBe('');
  });

  it('refuses more sites than it keeps, naming the limit (6,000 "always download" sites)', () => {
    const sites = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`http://10.0.${Math.floor(i / 250)}.${i % 250}:7860`, { mode: 'bypass' }]));
    expect(parseImport(JSON.stringify({ ...defaultSettings(), sites }))).toEqual({ ok: false, error: 'too-many', what: 'sites', count: 6000, limit: LIMITS.sites });
  });

  it('refuses a file larger than any settings before parsing it', () => {
    const huge = JSON.stringify({ ...defaultSettings(), padding: 'x'.repeat(MAX_IMPORT_BYTES) });
    expect(parseImport(huge)).toMatchObject({ ok: false, error: 'too-large' });
  });
});
