import { describe, expect, it } from 'vitest';
import { patternCovers } from './permissions';

describe('patternCovers', () => {
  it.each([
    ['http://gpu-box.local/*', 'http://gpu-box.local:8188', true],
    ['http://gpu-box.local/*', 'https://gpu-box.local:8188', false],
    ['*://gpu-box.local/*', 'https://gpu-box.local', true],
    ['*://*.lab/*', 'http://gpu-01.lab:7860', true],
    ['*://*.lab/*', 'http://lab:7860', true], // "*.host" covers the host itself too
    ['http://*/*', 'http://192.168.1.20:7860', true],
    ['<all_urls>', 'http://192.168.1.20:7860', true],
    ['http://other.local/*', 'http://gpu-box.local:8188', false],
    ['not a pattern', 'http://gpu-box.local:8188', false],
  ])('%s covers %s: %s', (pattern, origin, covered) => {
    expect(patternCovers(pattern, origin)).toBe(covered);
  });
});
