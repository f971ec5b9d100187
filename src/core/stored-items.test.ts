import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { migrateValue, readMap, reportsV2, STORED_ITEMS, VERSIONS_KEY, type StoredItem } from './stored-items';

const items = Object.entries(STORED_ITEMS) as [string, StoredItem][];

/** A clear report as 0.1.0 stored it: no backup fields (it took no backups). */
const REPORT_0_1 = {
  origin: 'http://localhost:7860', at: 1, trigger: 'popup', pageStep: 'done', keptSiteData: false, cookies: false,
  serviceWorkers: 1, caches: ['shell-v1'], indexedDB: [], localStorageItems: 2, sessionStorageItems: 0, bytesBefore: null, bytesAfter: null,
};

describe('stored items are declared once, and apart', () => {
  it('no two items share a key, and no key falls inside another item\'s records', () => {
    const keys = items.flatMap(([, i]) => (i.shape === 'records' ? [] : [i.key]));
    const prefixes = items.flatMap(([, i]) => (i.shape === 'records' ? [`${i.prefix}:`] : []));
    expect(new Set([...keys, ...prefixes]).size).toBe(keys.length + prefixes.length);
    for (const key of [...keys, VERSIONS_KEY]) expect(prefixes.filter((p) => key.startsWith(p))).toEqual([]);
    for (const p of prefixes) expect(prefixes.filter((q) => q !== p && q.startsWith(p))).toEqual([]);
  });

  it('each version is reached by numbered migrations, each item says how long it is kept', () => {
    for (const [name, item] of items) {
      expect(Number.isInteger(item.version) && item.version >= 1, name).toBe(true);
      for (const n of Object.keys(item.migrations).map(Number)) expect(n >= 2 && n <= item.version, `${name} migration ${n}`).toBe(true);
      expect(item.retention.length, name).toBeGreaterThan(10);
    }
  });
});

describe('reports, migration 2: a 0.1.0 report reads as one without a backup', () => {
  it('a report 0.1.0 wrote is brought up and read; it no longer reads without the migration', () => {
    expect(migrateValue(STORED_ITEMS.reports, REPORT_0_1, 1)).toEqual({
      value: { ...REPORT_0_1, keptSiteDataBecause: null, backupDetail: null, undo: null, failure: null },
    });
    expect(migrateValue(STORED_ITEMS.reports, REPORT_0_1, 2)).toBeNull();
  });

  it('a report that is already version 2 is left as it is (a damaged version record runs the migration again)', () => {
    const v2 = { ...REPORT_0_1, keptSiteDataBecause: 'over-cap', backupDetail: '600 MB', undo: null };
    expect(reportsV2(v2)).toEqual(v2);
  });

  it('property: it never overwrites a stored field, and running it twice is running it once', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (stored) => {
        const once = reportsV2(stored) as Record<string, unknown>;
        for (const [key, value] of Object.entries(stored)) expect(once[key]).toEqual(value);
        expect(reportsV2(once)).toEqual(once);
      }),
    );
  });

  it('property: any stored value is brought up to a value the schema accepts, or to nothing; never a throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (stored) => {
        const out = migrateValue(STORED_ITEMS.reports, stored, 1);
        if (out) expect(v.safeParse(STORED_ITEMS.reports.schema, out.value).success).toBe(true);
      }),
    );
  });

  it('hostile: a stored `__proto__` key pollutes nothing, in a report or as a map entry (dropped, not made the map\'s prototype)', () => {
    const hostile = JSON.parse(`{"__proto__": {"polluted": true}, "origin": "http://localhost:1"}`) as unknown;
    expect(migrateValue(STORED_ITEMS.reports, hostile, 1)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const map = JSON.parse(`{"__proto__": ${JSON.stringify({ ...REPORT_0_1, keptSiteDataBecause: null, backupDetail: null, undo: null })}}`) as unknown;
    const read = readMap(STORED_ITEMS.reports, map);
    expect(read?.dropped).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(read?.value)).toBe(Object.prototype);
    expect((read?.value as Record<string, unknown>).origin).toBeUndefined();
  });
});
