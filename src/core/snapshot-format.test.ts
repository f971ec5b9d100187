import { describe, expect, it } from 'vitest';
import { decodeDump, encodeDump, isEmptyDump, type SiteDump } from './snapshot-format';

const bytes = (b: Blob) => b.arrayBuffer().then((a) => [...new Uint8Array(a)]);

describe('backup encoding', () => {
  it('keeps values as the structured clone algorithm does', async () => {
    const shared = { tag: 'same object twice' };
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const value = {
      at: new Date('2026-11-27T14:05:00Z'),
      map: new Map<unknown, unknown>([['k', 1], [2, new Set(['a', 'b'])]]),
      u8: new Uint8Array([1, 2, 255]),
      f32: new Float32Array([1.5, -0]),
      buffer: new Uint16Array([7, 8]).buffer,
      big: 12345678901234567890n,
      special: [undefined, NaN, -0, Infinity],
      nested: { deep: [{ deeper: [shared, shared] }] },
      cyclic,
      blob: new Blob(['hello'], { type: 'text/plain' }),
      file: new File([new Uint8Array([9, 8, 7])], 'photo.png', { type: 'image/png', lastModified: 1700000000000 }),
    };
    const dump: SiteDump = {
      localStorage: [['workflow', '{"nodes":3}']],
      databases: [{ name: 'db', version: 3, stores: [{ name: 's', keyPath: null, autoIncrement: false, indexes: [], keys: [new Date(5), [1, 'a']], values: [value, null] }] }],
    };
    const { text, blobs } = encodeDump(dump);
    expect(blobs).toHaveLength(2);
    const back = decodeDump(text, blobs);
    const v = back.databases[0]!.stores[0]!.values[0] as typeof value;
    expect(v.at).toEqual(value.at);
    expect(v.map).toEqual(value.map);
    expect(v.u8).toEqual(value.u8);
    expect(v.f32).toEqual(value.f32);
    expect(Object.is(v.f32[1], -0)).toBe(true);
    expect(new Uint16Array(v.buffer)).toEqual(new Uint16Array([7, 8]));
    expect(v.big).toBe(value.big);
    expect(v.special).toEqual([undefined, NaN, -0, Infinity]);
    expect(Object.is(v.special[2], -0)).toBe(true);
    expect(v.nested.deep[0]!.deeper[0]).toBe(v.nested.deep[0]!.deeper[1]);
    expect(v.cyclic.self).toBe(v.cyclic);
    expect(v.blob).toBeInstanceOf(Blob);
    expect([v.blob.type, await bytes(v.blob)]).toEqual(['text/plain', [104, 101, 108, 108, 111]]);
    expect(v.file).toBeInstanceOf(File);
    expect([v.file.name, v.file.type, v.file.lastModified, await bytes(v.file)]).toEqual(['photo.png', 'image/png', 1700000000000, [9, 8, 7]]);
    expect(back.databases[0]!.stores[0]!.keys).toEqual([new Date(5), [1, 'a']]);
    expect(back.localStorage).toEqual(dump.localStorage);
  });

  it('refuses a backup whose binary part is missing', () => {
    const { text } = encodeDump({ localStorage: [], databases: [{ name: 'd', version: 1, stores: [{ name: 's', keyPath: null, autoIncrement: false, indexes: [], keys: [1], values: [new Blob(['x'])] }] }] });
    expect(() => decodeDump(text, [])).toThrow(/part 0 is missing/);
  });

  it('a site with no item and no record is empty: nothing to keep', () => {
    expect(isEmptyDump({ localStorage: [], databases: [{ name: 'd', version: 1, stores: [{ name: 's', keyPath: 'id', autoIncrement: true, indexes: [], keys: [], values: [] }] }] })).toBe(true);
    expect(isEmptyDump({ localStorage: [['a', 'b']], databases: [] })).toBe(false);
  });
});
