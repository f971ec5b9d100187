import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunks } from './undo-protocol';

describe('chunks', () => {
  it('gives back the text, in order, in chunks no larger than asked, one empty chunk for no text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.integer({ min: 1, max: 50 }), (text, size) => {
        const out = chunks(text, size);
        expect(out.join('')).toBe(text);
        expect(out.every((c) => c.length <= size)).toBe(true);
        expect(out.length).toBe(Math.max(1, Math.ceil(text.length / size)));
      }),
    );
  });
});
