import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from './base64';
import { base64Chunks } from './undo-protocol';

describe('base64Chunks', () => {
  it('gives back the bytes, in chunks no message refuses, the last one marked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 2 }), async (head, megabytes) => {
        // Up to ~6 MiB: more than one 3 MiB slice, so the split is exercised.
        const bytes = new Uint8Array(head.length + megabytes * 3 * 2 ** 20 + (megabytes > 0 ? 1 : 0));
        bytes.set(head);
        const parts: { chunk: string; last: boolean }[] = [];
        for await (const part of base64Chunks(new Blob([bytes]))) parts.push(part);
        expect(parts.map((p) => p.last)).toEqual(parts.map((_, i) => i === parts.length - 1));
        expect(parts.every((p) => p.chunk.length <= 4 * 2 ** 20)).toBe(true);
        const back = new Uint8Array(await new Blob(parts.map((p) => fromBase64(p.chunk))).arrayBuffer());
        // Compared as buffers: a deep equality over megabytes of elements is what would be slow here.
        expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 6 },
    );
  }, 30_000);
});
