import { describe, expect, it } from 'vitest';
import { exportSettings, parseImport } from './import-export';
import { defaultSettings, withCustomOrigin } from './settings';

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
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail).not.toBe('');
  });
});
