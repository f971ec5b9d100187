import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestDifference, digestSite } from './site-digest';
import { decodeDump, encodeDump, type SiteDump } from './snapshot-format';

/** Keys every object's prototype has too: the ones Firefox's Xray view used to hide. */
const PROTO_KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__', 'then'];

const own = (entries: [string, unknown][]) => {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
};

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt()),
    fc.date({ noInvalidDate: true }),
    fc.string({ maxLength: 4 }).map((s) => Object(s) as unknown),
    fc.bigInt().map((n) => Object(n) as unknown),
    fc.uint8Array({ maxLength: 16 }).map((b) => new BigInt64Array(b.buffer.slice(0, b.length - (b.length % 8)))),
    fc.uint8Array({ minLength: 4, maxLength: 16 }).map((b) => ({ whole: new Uint8Array(b.buffer), tail: new DataView(b.buffer, 2, 2) })),
    fc.uint8Array({ maxLength: 24 }).map((b) => new Blob([b], { type: 'application/x-test' })),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 6 })), tie('value')), { maxLength: 4 }).map(own),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map((e) => new Map(e)),
    fc.array(tie('value'), { maxLength: 3 }).map((e) => new Set(e)),
  ),
}));

const siteDump: fc.Arbitrary<SiteDump> = fc.record({
  localStorage: fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 4 }),
  databases: fc.array(
    fc.record({
      name: fc.string({ maxLength: 6 }),
      version: fc.integer({ min: 1, max: 5 }),
      stores: fc.array(
        fc.record({
          name: fc.string({ maxLength: 6 }),
          keyPath: fc.constant(null),
          autoIncrement: fc.boolean(),
          indexes: fc.constant<SiteDump['databases'][number]['stores'][number]['indexes']>([]),
          keys: fc.array(fc.integer(), { maxLength: 6 }),
          values: fc.array(value, { maxLength: 6 }),
        }).map((s) => ({ ...s, keys: s.keys.slice(0, s.values.length), values: s.values.slice(0, s.keys.length) })),
        { maxLength: 3 },
      ),
    }),
    { maxLength: 3 },
  ),
});

describe('site fingerprint', () => {
  it('a backup decodes to the same fingerprint as the page data it was made from', async () => {
    await fc.assert(
      fc.asyncProperty(siteDump, async (dump) => {
        const { text, blobs } = encodeDump(dump);
        const back = decodeDump(text, blobs);
        expect(digestDifference(await digestSite(dump), await digestSite(back))).toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it('notices a lost key, a lost record or changed bytes, and names the store', async () => {
    await fc.assert(
      fc.asyncProperty(siteDump, fc.constantFrom('key', 'record', 'bytes'), async (dump, loss) => {
        const store = dump.databases.flatMap((d) => d.stores).find((s) => s.keys.length > 0);
        fc.pre(store !== undefined);
        const page = await digestSite(dump);
        if (loss === 'key') store!.values[0] = own([['lost', 1], ['value', store!.values[0]]]);
        if (loss === 'record') {
          store!.keys.pop();
          store!.values.pop();
        }
        if (loss === 'bytes') store!.values[0] = new Blob([new Uint8Array([1, 2, 3])]);
        const difference = digestDifference(page, await digestSite(dump));
        expect(difference).toContain(`"${store!.name}"`);
      }),
      { numRuns: 100 },
    );
  });

  it('tells a hole from undefined, an own __proto__ key from none, and two views of one buffer from two buffers', async () => {
    const of = async (v: unknown) => (await digestSite({ localStorage: [], databases: [{ name: 'd', version: 1, stores: [{ name: 's', keyPath: null, autoIncrement: false, indexes: [], keys: [1], values: [v] }] }] })).stores[0]!.hash;
    const holey = [undefined, 1];
    delete holey[0];
    expect(await of(holey)).not.toBe(await of([undefined, 1]));
    expect(await of(own([['__proto__', 1]]))).not.toBe(await of({}));
    const buffer = new ArrayBuffer(4);
    expect(await of([new Uint8Array(buffer), new Uint8Array(buffer)])).not.toBe(await of([new Uint8Array(4), new Uint8Array(4)]));
    expect(await of(-0)).not.toBe(await of(0));
    expect(await of(Object('a'))).not.toBe(await of('a'));
  });

  it('hostile values: a kind the backup cannot carry fails by name instead of being skipped', async () => {
    const dump: SiteDump = { localStorage: [], databases: [{ name: 'd', version: 1, stores: [{ name: 's', keyPath: null, autoIncrement: false, indexes: [], keys: [1], values: [{ error: new Error('x') }] }] }] };
    await expect(digestSite(dump)).rejects.toThrow('Error values cannot be kept');
    // A string as long as a page may store, and a deep nest, are no trouble.
    const deep = Array.from({ length: 2000 }).reduce<unknown>((inner) => ({ inner }), 'end');
    const big: SiteDump = { localStorage: [['k', 'x'.repeat(5_000_000)]], databases: [{ name: 'd', version: 1, stores: [{ name: 's', keyPath: null, autoIncrement: false, indexes: [], keys: [1], values: [deep] }] }] };
    expect((await digestSite(big)).stores).toHaveLength(1);
  });
});
