import { describe, expect, it } from 'vitest';
import { planClear, withReport, type ClearReport } from './clear-report';
import { backupLine, formatBytes, summariseReport } from './clear-summary';

const tr = (key: string, subs?: string | string[]) => (subs === undefined ? key : `${key}:${[subs].flat().join(',')}`);

const report = (over: Partial<ClearReport> = {}): ClearReport => ({
  origin: 'http://localhost:7860', at: 1, trigger: 'popup', pageStep: 'done', keptSiteData: false, cookies: false,
  serviceWorkers: 1, caches: ['a', 'b'], indexedDB: [{ name: 'db', outcome: 'deleted' }], localStorageItems: 2, sessionStorageItems: 1,
  bytesBefore: 3_000_000, bytesAfter: 1000, keptSiteDataBecause: null, backupDetail: null, undo: null, ...over,
});

describe('summariseReport', () => {
  it('counts what was cleared and the bytes freed', () => {
    expect(summariseReport(report(), tr)).toBe('summaryWorkers:1 · summaryCaches:2 · summaryDatabases:1 · summaryStorage:3 · summaryFreed:2.9 MB');
  });

  it('says when site data was kept, a database was in use, or the page could not be scripted', () => {
    const text = summariseReport(report({ keptSiteData: true, bytesAfter: null, indexedDB: [{ name: 'x', outcome: 'blocked' }], pageStep: 'unavailable' }), tr);
    expect(text).toBe('summaryWorkers:1 · summaryCaches:2 · summaryKeptData · summaryBlocked · summaryNoPage');
  });

  it('says an app under a path was cleared alone, what its origin shares, and what other apps kept', () => {
    const scoped = { path: '/comfy/', cacheEntries: 3, otherWorkers: 1, otherCaches: 2 };
    expect(summariseReport(report({ keptSiteData: true, bytesAfter: null, scoped }), tr)).toBe(
      'summaryScoped:/comfy/ · summaryWorkers:1 · summaryCaches:2 · summaryCacheEntries:3 · summarySharedKept · summaryOtherApps:1,2',
    );
    expect(summariseReport(report({ bytesAfter: null, scoped: { ...scoped, otherWorkers: 0, otherCaches: 0 } }), tr)).toBe(
      'summaryScoped:/comfy/ · summaryWorkers:1 · summaryCaches:2 · summaryCacheEntries:3 · summaryDatabases:1 · summaryStorage:3 · summarySharedCleared',
    );
    expect(summariseReport(report({ keptSiteData: true, bytesAfter: null, scoped: { ...scoped, path: null } }), tr)).toMatch(/^summaryScopedRest · /);
  });
});

describe('backupLine', () => {
  const time = (at: number) => `t${at}`;
  it('says until when Undo can put the data back, and how much', () => {
    expect(backupLine(report({ undo: { id: 'x', until: 99, bytes: 12.3 * 1024 * 1024 } }), tr, time)).toBe('summaryUndo:t99,12 MB');
  });
  it('says why site data was kept', () => {
    expect(backupLine(report({ keptSiteData: true, keptSiteDataBecause: 'over-cap', backupDetail: '812 MB > 500 MB' }), tr, time)).toBe('summaryKeptOverCap:812 MB > 500 MB');
    expect(backupLine(report({ keptSiteData: true, keptSiteDataBecause: 'backup-failed', backupDetail: 'quota' }), tr, time)).toBe('summaryKeptBackupFailed:quota');
    expect(backupLine(report(), tr, time)).toBeNull();
  });
});

describe('planClear', () => {
  const opts = { keepSiteData: false, includeCookies: true, autoClearSiteData: false };
  it('manual clears take site data and opted-in cookies', () => {
    expect(planClear(opts, 'popup')).toMatchObject({ siteData: true, cookies: true });
    expect(planClear({ ...opts, keepSiteData: true }, 'shortcut')).toMatchObject({ siteData: false });
  });
  it('auto-clear keeps site data and cookies unless asked', () => {
    expect(planClear(opts, 'auto')).toMatchObject({ siteData: false, cookies: false, serviceWorkers: true, cacheStorage: true });
    expect(planClear({ ...opts, autoClearSiteData: true }, 'auto')).toMatchObject({ siteData: true });
  });
  it('an app under a path keeps the site data its origin shares, unless the user said otherwise for that origin', () => {
    const scope = { path: '/comfy/', keep: [] };
    // Cookies are the host's: opted in, they still go only with the shared data.
    expect(planClear(opts, 'popup', scope)).toMatchObject({ siteData: false, cookies: false, scope });
    expect(planClear({ ...opts, autoClearSiteData: true }, 'auto', scope)).toMatchObject({ siteData: false, scope });
    expect(planClear({ ...opts, clearShared: true }, 'popup', scope)).toMatchObject({ siteData: true, cookies: true, scope });
    expect(planClear({ ...opts, clearShared: true, autoClearSiteData: true }, 'auto', scope)).toMatchObject({ siteData: true, cookies: false });
    expect(planClear({ ...opts, clearShared: true, keepSiteData: true }, 'popup', scope)).toMatchObject({ siteData: false });
    expect(planClear(opts, 'popup')).not.toHaveProperty('scope');
  });
});

describe('withReport', () => {
  it('keeps the newest report per origin and a bounded number of origins', () => {
    let reports = {};
    for (let i = 0; i < 60; i++) reports = withReport(reports, report({ origin: `http://localhost:${1000 + i}`, at: i }));
    expect(Object.keys(reports)).toHaveLength(50);
    const scoped = (path: string | null) => ({ path, cacheEntries: 0, otherWorkers: 0, otherCaches: 0 });
    const L = 'http://lab.test:8080';
    let apps = withReport({}, report({ origin: L, at: 1, scoped: scoped('/comfy/') }));
    apps = withReport(apps, report({ origin: L, at: 2, scoped: scoped('/other/') }));
    apps = withReport(apps, report({ origin: L, at: 3, scoped: scoped(null) }));
    // Two apps of one origin, and its rest: each keeps its own last report.
    expect(Object.keys(apps).sort()).toEqual([L, `${L}/comfy/`, `${L}/other/`]);
    expect(Object.keys(reports)).not.toContain('http://localhost:1000');
  });
});

describe('formatBytes', () => {
  it.each([[0, '0 B'], [1536, '1.5 KB'], [50 * 1024 * 1024, '50 MB']])('%d → %s', (n, s) => expect(formatBytes(n)).toBe(s));
});
