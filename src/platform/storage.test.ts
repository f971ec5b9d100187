import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, it } from 'vitest';
import { local } from './storage';

const report = (origin: string) => ({
  origin, at: 1, trigger: 'popup', pageStep: 'done', keptSiteData: false, cookies: false,
  serviceWorkers: 1, caches: ['c'], indexedDB: [], localStorageItems: 0, sessionStorageItems: 0, bytesBefore: null, bytesAfter: null,
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
