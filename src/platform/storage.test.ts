import { fakeBrowser } from '@webext-core/fake-browser';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { VERSIONS_KEY, type StoredItem } from '../core/stored-items';
import { local, migrateStoredItems, records, updateLocal } from './storage';

const report = (origin: string) => ({
  origin, at: 1, trigger: 'popup', pageStep: 'done', keptSiteData: false, cookies: false,
  keptSiteDataBecause: null, backupDetail: null, undo: null, serviceWorkers: 1, caches: ['c'], indexedDB: [], localStorageItems: 0, sessionStorageItems: 0, bytesBefore: null, bytesAfter: null,
});

describe('values are checked when read', () => {
  it('a malformed stored report is dropped, the others are read', async () => {
    await fakeBrowser.storage.local.set({
      reports: { 'http://localhost:7860': { ...report('http://localhost:7860'), caches: 5 }, 'http://localhost:8501': report('http://localhost:8501') },
    });
    expect(Object.keys((await local.get('reports'))!)).toEqual(['http://localhost:8501']);
  });

  it('a value that is not even a map reads as empty; a malformed status as absent', async () => {
    await fakeBrowser.storage.local.set({ fingerprints: 'garbage', rulesStatus: { ok: 'maybe' } });
    expect(await local.get('fingerprints')).toEqual({});
    expect(await local.get('rulesStatus')).toBeUndefined();
  });
});

describe('stored items are brought up to their declared versions at start', () => {
  /** A report as 0.1.0 stored it: no backup fields. */
  const old = (origin: string): Record<string, unknown> => {
    const stored: Record<string, unknown> = report(origin);
    for (const field of ['keptSiteDataBecause', 'backupDetail', 'undo']) delete stored[field];
    return stored;
  };
  const versions = async (area: 'local' | 'session') => (await fakeBrowser.storage[area].get(VERSIONS_KEY))[VERSIONS_KEY] as Record<string, number> | undefined;

  it('a 0.1.0 report is migrated and read as one without a backup; one that cannot be brought up is dropped, the others kept', async () => {
    await fakeBrowser.storage.local.set({
      reports: { 'http://localhost:7860': old('http://localhost:7860'), 'http://localhost:8501': { ...old('http://localhost:8501'), caches: 5 } },
    });
    const upgraded = { 'http://localhost:7860': { ...report('http://localhost:7860'), failure: null } };
    // Read before the migration has stored it upgraded (a failed start, a page reading storage itself): read upgraded.
    expect(await local.get('reports')).toEqual(upgraded);
    expect(await migrateStoredItems()).toEqual({ reports: { from: 1, to: 2, migrated: 1, dropped: 1 } });
    expect(await local.get('reports')).toEqual(upgraded);
    // And stored so: the entry that could not be brought up is gone from storage, not only from reads.
    expect((await fakeBrowser.storage.local.get('reports')).reports).toEqual(upgraded);
    expect(await versions('local')).toMatchObject({ reports: 2, fingerprints: 1, settings: 1 });
    expect(await versions('session')).toMatchObject({ tab: 1, check: 1 });
  });

  it('a migration that fails to store (storage full) loses nothing: reads still upgrade, and the next write keeps the report', async () => {
    await fakeBrowser.storage.local.set({ reports: { 'http://localhost:7860': old('http://localhost:7860') } });
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    fakeBrowser.storage.local.set = async () => Promise.reject(new Error('QUOTA_BYTES quota exceeded'));
    await expect(migrateStoredItems()).rejects.toThrow('quota');
    fakeBrowser.storage.local.set = set;
    await updateLocal('fingerprints', {}, (m) => m); // any later write
    await updateLocal('reports', {}, (m) => m);
    expect(Object.keys((await local.get('reports'))!)).toEqual(['http://localhost:7860']);
    expect((await fakeBrowser.storage.local.get('reports')).reports).toEqual({ 'http://localhost:7860': { ...report('http://localhost:7860'), failure: null } });
  });

  it('runs once: a second start finds everything at its version and changes nothing', async () => {
    await fakeBrowser.storage.local.set({ reports: { a: old('http://localhost:1') } });
    await migrateStoredItems();
    const after = await fakeBrowser.storage.local.get(null);
    expect(await migrateStoredItems()).toEqual({});
    expect(await fakeBrowser.storage.local.get(null)).toEqual(after);
  });

  it('an item a newer build stored (a version above ours) is left as it is', async () => {
    const stored = { reports: { a: { from: 'the future' } }, [VERSIONS_KEY]: { reports: 3 } };
    await fakeBrowser.storage.local.set(stored);
    expect(await migrateStoredItems()).toEqual({});
    expect(await fakeBrowser.storage.local.get(['reports'])).toEqual({ reports: stored.reports });
    expect(await versions('local')).toMatchObject({ reports: 3 });
  });

  it('one damaged entry of the version record costs only that entry: a newer build\'s item keeps its version and its values', async () => {
    const stored = { reports: { a: { from: 'the future' } }, [VERSIONS_KEY]: JSON.parse('{"reports": 3, "someNewItem": 0, "__proto__": 5}') as unknown };
    await fakeBrowser.storage.local.set(stored);
    await migrateStoredItems();
    expect(await fakeBrowser.storage.local.get('reports')).toEqual({ reports: stored.reports });
    expect(await versions('local')).toMatchObject({ reports: 3 });
  });

  it('a damaged version record counts every item as version 1: migrations run again and keep what is current', async () => {
    const current = { a: report('http://localhost:1') };
    await fakeBrowser.storage.local.set({ reports: current, [VERSIONS_KEY]: 'garbage' });
    expect(await migrateStoredItems()).toEqual({ reports: { from: 1, to: 2, migrated: 1, dropped: 0 } });
    expect((await fakeBrowser.storage.local.get('reports')).reports).toEqual({ a: { ...current.a, failure: null } }); // as read: defaults filled
    expect(await versions('local')).toMatchObject({ reports: 2 });
  });

  it('records are migrated key by key through each numbered step, in their own area only', async () => {
    const counted: StoredItem<{ n: number; unit: string }> = {
      shape: 'records', area: 'session', prefix: 'count', schema: v.object({ n: v.number(), unit: v.string() }), version: 3, retention: 'a test item',
      migrations: {
        2: (old) => ({ n: Number((old as { n: string }).n) }),
        3: (old) => {
          if (Number.isNaN((old as { n: number }).n)) throw new Error('not a number');
          return { ...(old as object), unit: 'items' };
        },
      },
    };
    await fakeBrowser.storage.session.set({ 'count:1': { n: '4' }, 'count:2': { n: 'four' }, 'counted:1': { n: '4' }, 'count:3': { n: '7' } });
    await fakeBrowser.storage.local.set({ 'count:1': { n: '4' } });
    expect(await migrateStoredItems({ counted })).toEqual({ counted: { from: 1, to: 3, migrated: 2, dropped: 1 } });
    expect(await fakeBrowser.storage.session.get(null)).toEqual({
      'count:1': { n: 4, unit: 'items' }, 'count:3': { n: 7, unit: 'items' }, 'counted:1': { n: '4' }, [VERSIONS_KEY]: { counted: 3 },
    });
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ 'count:1': { n: '4' } });
    expect(await records(counted).get(1)).toEqual({ n: 4, unit: 'items' });
  });
});
