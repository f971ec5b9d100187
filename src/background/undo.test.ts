import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings, withSiteOptions } from '../core/settings';
import { MB, UNDO_TTL_MS } from '../core/undo-policy';
import { local } from '../platform/storage';
import { deleteBackup, storedBackupIds } from '../platform/undo-store';
import { closeTab, openTab, page, setFirefox, world } from '../test/fake-extension';
import { autoFix } from './auto-clear';
import { tabRecords } from './tab-records';
import { clearAndReload } from './clear-and-reload';
import { announce, undoNotices } from './feedback';
import { popupState } from './popup-state';
import { deleteBackups, pruneBackups } from './backups';
import { undo } from './undo';

const A = 'http://localhost:7860';
const B = 'http://localhost:8501';
const backups = async () => Object.values((await local.get('snapshots')) ?? {});

afterEach(() => {
  vi.useRealTimers();
});

describe('Clear & reload keeps a backup, and Undo puts it back', () => {
  it('backs up before removing site data; Undo restores it exactly, with the app\'s scripts paused meanwhile', async () => {
    world.origins.set(A, page({ records: 200, localStorage: { workflow: '{"nodes":3}', token: 'abc' } }));
    world.origins.set(B, page());
    const tab = await openTab(`${A}/`);
    const before = structuredClone(world.origins.get(A)!);

    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({ ok: true, report: { keptSiteData: false, undo: { id: expect.any(String), bytes: expect.any(Number) } } });
    // Where the backup's time went, for the bench: each step measured in order, so none is negative.
    const steps = result.ok ? result.report.phases?.backupSteps : undefined;
    expect(Object.keys(steps ?? {}).sort()).toEqual(['pageFingerprint', 'read', 'send', 'store', 'storedFingerprint']);
    expect(Object.values(steps ?? {}).every((ms) => Number.isInteger(ms) && ms >= 0)).toBe(true);
    const [meta] = await backups();
    expect(meta).toMatchObject({ origin: A, records: 200, localStorageItems: 2, databases: 1, restoredAt: null });
    expect(meta!.expiresAt - meta!.takenAt).toBe(UNDO_TTL_MS);
    expect(world.origins.get(A)).toMatchObject({ localStorage: {}, databases: [] });
    // Read while the site's scripts were paused (nothing written between the backup and the removal), then
    // one reload onto the live app with the pause lifted.
    expect(world.snapshotRules).toEqual([[expect.objectContaining({ condition: expect.objectContaining({ urlFilter: `|${A}/`, tabIds: [tab] }) })]]);
    expect(world.pausedReloads).toEqual([{ tabId: tab, bypassCache: true }]);
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: true }]);
    expect(world.sessionRules).toEqual([]);

    // The new version of the app writes something of its own before the user presses Undo.
    world.origins.get(A)!.localStorage = { 'written-by-v2': 'x' };
    world.origins.get(A)!.serviceWorkers = 1;
    world.reloads = [];
    world.pausedReloads = [];

    expect(await undo(meta!.id, tab)).toEqual({
      ok: true, origin: A, databases: 1, records: 200, localStorageItems: 2, restoredAt: expect.any(Number),
      phases: { pause: expect.any(Number), restore: expect.any(Number), reload: expect.any(Number) },
    });
    expect(world.origins.get(A)).toMatchObject({ localStorage: before.localStorage, databases: before.databases, records: 200 });
    // Restored while the page's own scripts were paused, in that tab only; the pause is lifted after.
    expect(world.restores).toEqual([{ tabId: tab, rules: [expect.objectContaining({ condition: expect.objectContaining({ urlFilter: `|${A}/`, tabIds: [tab], resourceTypes: ['main_frame'] }) })] }]);
    expect(JSON.stringify(world.restores[0]!.rules[0]!.action)).toContain("default-src 'none'");
    expect(world.sessionRules).toEqual([]);
    // The paused reload, then one onto the restored data; both past every cache.
    expect(world.pausedReloads).toEqual([{ tabId: tab, bypassCache: true }]);
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: true }]);
    // Never a service worker back (this one was unregistered for the paused load), never another site touched.
    expect(world.origins.get(A)!.serviceWorkers).toBe(0);
    expect(world.origins.get(B)).toEqual(page());
    expect((await backups())[0]!.restoredAt).toEqual(expect.any(Number));
  });

  it('a site the browser estimates over the cap is not paused before the backup; fitting after all, it is backed up again, paused', async () => {
    await local.set('settings', { ...defaultSettings(), undoCapMb: 10 });
    world.origins.set(A, page({ records: 20, usage: 40 * MB }));
    const tab = await openTab(`${A}/`);
    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({ ok: true, report: { keptSiteData: false, undo: { id: expect.any(String) } } });
    expect(world.snapshotRules.map((rules) => rules.length)).toEqual([0, 1]);
    expect((await backups()).map((b) => b.id)).toEqual([(result as { report: { undo: { id: string } } }).report.undo.id]);
    expect([...(await storedBackupIds())]).toEqual([(result as { report: { undo: { id: string } } }).report.undo.id]);
  });

  it('a site with no data needs no backup, and does not push a real one out of Undo', async () => {
    world.origins.set(A, page({ records: 5 }));
    const tab = await openTab(`${A}/`);
    await clearAndReload(tab, 'popup');
    expect(await backups()).toHaveLength(1);
    world.origins.set(A, page({ localStorage: {}, databases: [] }));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 60_000); // after the cool-down
    expect(await clearAndReload(tab, 'popup')).toMatchObject({ ok: true, report: { undo: null, keptSiteDataBecause: null } });
    expect(await backups()).toHaveLength(1);
  });

  it('Undo of a site with no tab left opens one for it', async () => {
    world.origins.set(A, page());
    const tab = await openTab(`${A}/`);
    const result = await clearAndReload(tab, 'shortcut');
    closeTab(tab);
    const id = result.ok ? result.report.undo!.id : '';
    expect(await undo(id)).toMatchObject({ ok: true, origin: A });
    expect(world.restores[0]!.tabId).not.toBe(tab);
  });
});

describe('over the size cap', () => {
  // The browser's estimate of what the origin stores is at least the data itself.
  const big = () => page({ blobBytes: 12 * MB, usage: 13 * MB });

  it('the popup asks first: nothing is touched until the user chooses', async () => {
    await local.set('settings', { ...defaultSettings(), undoCapMb: 10 });
    world.origins.set(A, big());
    const tab = await openTab(`${A}/`);
    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({ ok: false, error: 'needs-confirmation', capBytes: 10 * MB });
    expect((result as { bytes: number }).bytes).toBeGreaterThan(12 * MB);
    expect(world.removals).toEqual([]);
    expect(world.reloads).toEqual([]);
    expect(world.origins.get(A)).toEqual(big());
    expect(await storedBackupIds()).toEqual(new Set());

    // "Clear without Undo": cleared, nothing kept.
    expect(await clearAndReload(tab, 'popup', { choice: { withoutUndo: true } })).toMatchObject({ ok: true, report: { keptSiteData: false, undo: null } });
    expect(world.origins.get(A)).toMatchObject({ localStorage: {}, databases: [] });
  });

  it('"Keep site data" from the question clears only the code caches', async () => {
    await local.set('settings', { ...defaultSettings(), undoCapMb: 10 });
    world.origins.set(A, big());
    const tab = await openTab(`${A}/`);
    expect(await clearAndReload(tab, 'popup', { choice: { keepSiteData: true } })).toMatchObject({ ok: true, report: { keptSiteData: true, undo: null } });
    expect(world.origins.get(A)).toMatchObject({ serviceWorkers: 0, caches: [], localStorage: big().localStorage, databases: big().databases });
  });

  it('the shortcut keeps the site data and says so; code caches are still cleared', async () => {
    await local.set('settings', { ...defaultSettings(), undoCapMb: 10 });
    world.origins.set(A, big());
    const tab = await openTab(`${A}/`);
    const result = await clearAndReload(tab, 'shortcut');
    expect(result).toMatchObject({ ok: true, report: { keptSiteData: true, keptSiteDataBecause: 'over-cap', backupDetail: expect.stringMatching(/MB > 10 MB/), undo: null } });
    expect(world.origins.get(A)).toMatchObject({ serviceWorkers: 0, caches: [], localStorage: big().localStorage, databases: big().databases });
    expect(world.removals[0]!.types).toEqual({ cache: true });
    await announce(tab, result);
    expect(world.notifications.get(`clear-${tab}`)!.message).toContain('summaryKeptOverCap');
  });
});

describe('a backup that fails', () => {
  it('leaves site data in place, still clears the code caches, and the report says why', async () => {
    world.origins.set(A, page({ readError: 'database "app-db" is blocked by the app' }));
    const tab = await openTab(`${A}/`);
    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({ ok: true, report: { keptSiteData: true, keptSiteDataBecause: 'backup-failed', backupDetail: 'database "app-db" is blocked by the app' } });
    expect(world.origins.get(A)).toMatchObject({ serviceWorkers: 0, caches: [], localStorage: { workflow: 'mine' }, databases: ['app-db'] });
    expect(await backups()).toEqual([]);
    expect(await storedBackupIds()).toEqual(new Set());
  });

  it('a page that cannot be scripted gets no site-data clear either', async () => {
    const tab = await openTab(`${A}/`); // no page state: scripting refused
    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({ ok: true, report: { keptSiteDataBecause: 'backup-failed' } });
    expect(world.removals.map((r) => r.types)).toEqual([{ cache: true }, { cacheStorage: true, serviceWorkers: true }]);
  });
});

describe('retention', () => {
  async function clearOnce(origin: string, at: number): Promise<string> {
    vi.setSystemTime(at);
    world.origins.set(origin, page({ records: 4 }));
    const tab = await openTab(`${origin}/`);
    const result = await clearAndReload(tab, 'popup');
    if (!result.ok || !result.report.undo) throw new Error(JSON.stringify(result));
    return result.report.undo.id;
  }

  it('a backup past 24 hours is gone: Undo says so and its content is deleted', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const id = await clearOnce(A, Date.now());
    vi.setSystemTime(Date.now() + UNDO_TTL_MS + 1);
    expect(await undo(id)).toEqual({ ok: false, error: 'gone' });
    await pruneBackups();
    expect(await backups()).toEqual([]);
    expect(await storedBackupIds()).toEqual(new Set());
  });

  it('keeps the last 3 clears per site', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await clearOnce(A, start + i * 60_000));
    expect((await backups()).map((s) => s.id).sort()).toEqual(ids.slice(1).sort());
    expect(await storedBackupIds()).toEqual(new Set(ids.slice(1)));
  });

  it('within the size cap, the oldest backups go first, whichever site they belong to', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await local.set('settings', { ...defaultSettings(), undoCapMb: 10 });
    const start = Date.now();
    const at = (i: number) => start + i * 60_000;
    vi.setSystemTime(at(0));
    world.origins.set(A, page({ blobBytes: 4 * MB }));
    const first = await clearAndReload(await openTab(`${A}/`), 'popup');
    vi.setSystemTime(at(1));
    world.origins.set(B, page({ blobBytes: 4 * MB }));
    await clearAndReload(await openTab(`${B}/`), 'popup');
    vi.setSystemTime(at(2));
    world.origins.set('http://localhost:8188', page({ blobBytes: 4 * MB }));
    await clearAndReload(await openTab('http://localhost:8188/'), 'popup');
    const kept = (await backups()).map((s) => s.origin).sort();
    expect(kept).toEqual([B, 'http://localhost:8188'].sort());
    expect(first.ok && (await undo(first.report.undo!.id))).toEqual({ ok: false, error: 'gone' });
  });

  it('"Delete backups now" removes every backup and its content', async () => {
    world.origins.set(A, page());
    await clearAndReload(await openTab(`${A}/`), 'popup');
    await deleteBackups();
    expect(await backups()).toEqual([]);
    expect(await storedBackupIds()).toEqual(new Set());
  });
});

describe('the notification of a shortcut clear', () => {
  it('has an Undo button in Chromium, tied to that backup', async () => {
    world.origins.set(A, page());
    const tab = await openTab(`${A}/`);
    const result = await clearAndReload(tab, 'shortcut');
    await announce(tab, result);
    expect(world.notifications.get(`clear-${tab}`)!.buttons).toEqual([{ title: 'undoButton' }]);
    expect(await undoNotices.get(`clear-${tab}`)).toEqual({ snapshotId: result.ok ? result.report.undo!.id : '', tabId: tab });
  });

  it('in Firefox (no notification buttons) points to the popup instead', async () => {
    setFirefox(true);
    world.origins.set(A, page());
    const tab = await openTab(`${A}/`);
    await announce(tab, await clearAndReload(tab, 'shortcut'));
    const note = world.notifications.get(`clear-${tab}`)!;
    expect(note.buttons).toBeUndefined();
    expect(note.message).toContain('undoInPopup');
    expect(await undoNotices.get(`clear-${tab}`)).toBeUndefined();
  });
});

describe('a backup being taken', () => {
  it('is not taken for a leftover: "Delete backups now" and pruning meanwhile leave it whole, and Undo works', async () => {
    world.origins.set(A, page({ records: 50, blobBytes: 2048 }));
    const before = structuredClone(world.origins.get(A)!);
    const tab = await openTab(`${A}/`);
    world.midSnapshot = async () => {
      await deleteBackups();
      await pruneBackups();
    };
    const result = await clearAndReload(tab, 'popup');
    world.midSnapshot = null;
    expect(result).toMatchObject({ ok: true, report: { undo: { id: expect.any(String) } } });
    const id = result.ok ? result.report.undo!.id : '';
    expect(await storedBackupIds()).toEqual(new Set([id]));
    expect(await undo(id, tab)).toMatchObject({ ok: true, records: 50 });
    expect(world.origins.get(A)).toMatchObject({ localStorage: before.localStorage, databases: before.databases, records: 50 });
  });
});

describe('a backup whose page never answers', () => {
  it('counts once every part is stored: the clear goes on without waiting for the page', async () => {
    world.origins.set(A, page({ records: 20 }));
    const tab = await openTab(`${A}/`);
    world.agentHangsAfterSend = true;
    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({ ok: true, report: { keptSiteData: false, undo: { id: expect.any(String) } } });
    expect(await backups()).toMatchObject([{ origin: A, records: 20 }]);
    expect(world.origins.get(A)).toMatchObject({ localStorage: {}, databases: [] });
  });
});

describe('Undo after a later clear', () => {
  it('a clear that needed no backup does not hide the one before it', async () => {
    world.origins.set(A, page({ records: 7 }));
    const tab = await openTab(`${A}/`);
    const first = await clearAndReload(tab, 'popup');
    const firstId = first.ok ? first.report.undo!.id : '';
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 60_000); // after the cool-down
    expect(await clearAndReload(tab, 'popup')).toMatchObject({ ok: true, report: { undo: null } });
    const state = await popupState(tab);
    expect(state.undo).toMatchObject({ id: firstId, takenAt: expect.any(Number) });
    expect(state.report?.undo).toBeNull();
  });
});

describe('auto-clear set to remove site data', () => {
  it('backs it up first, like a press, and the report offers Undo', async () => {
    world.origins.set(A, page({ records: 12 }));
    const before = structuredClone(world.origins.get(A)!);
    const tab = await openTab(`${A}/`);
    const settings = withSiteOptions(defaultSettings(), A, { autoClear: true, autoClearSiteData: true });
    await local.set('settings', settings);
    // The tab's document, judged old against the upgrade (what the detector leaves before it calls autoFix).
    world.documents.set(tab, 'doc-a');
    await tabRecords.set(tab, {
      origin: A, url: `${A}/`, assets: [], version: null, navigation: 'navigate', docId: 'doc-a', loadedAt: Date.now(), reportedAt: Date.now(), sizes: { document: null, code: [] },
      verdict: { state: 'stale', missing: 1, from: null, to: '5.2.0' }, judgedAgainst: 'v2',
    });
    expect(await autoFix(settings, A, { url: `${A}/`, viewId: 'v2', staleTabs: [{ tabId: tab, docId: 'doc-a' }], to: '5.2.0', app: 'Gradio' })).toBe(true);
    expect(world.origins.get(A)).toMatchObject({ localStorage: {}, databases: [] });
    const report = (await local.get('reports'))?.[A];
    expect(report).toMatchObject({ trigger: 'auto', keptSiteData: false, undo: { id: expect.any(String) } });
    expect(await undo(report!.undo!.id, tab)).toMatchObject({ ok: true, records: 12 });
    expect(world.origins.get(A)).toMatchObject({ localStorage: before.localStorage, records: 12 });
  });

  it('keeps the data when the backup fails', async () => {
    world.origins.set(A, page({ records: 12, readError: 'disk on fire' }));
    const tab = await openTab(`${A}/`);
    const settings = withSiteOptions(defaultSettings(), A, { autoClear: true, autoClearSiteData: true });
    await local.set('settings', settings);
    await autoFix(settings, A, { url: `${A}/`, viewId: 'v2', staleTabs: [{ tabId: tab, docId: 'doc-a' }], to: null, app: null });
    expect(world.origins.get(A)!.records).toBe(12);
    expect((await local.get('reports'))?.[A]).toMatchObject({ keptSiteData: true, keptSiteDataBecause: 'backup-failed', backupDetail: 'disk on fire' });
  });
});

describe('a backup that does not give back what the page holds', () => {
  it('is not kept: site data stays, code caches go, the report says what could not be kept', async () => {
    world.origins.set(A, page({ records: 12 }));
    world.encodingLoses = true;
    const tab = await openTab(`${A}/`);
    const before = structuredClone(world.origins.get(A)!);
    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({ ok: true, report: { keptSiteData: true, keptSiteDataBecause: 'backup-failed', undo: null } });
    expect(result.ok && result.report.backupDetail).toMatch(/could not keep everything \("app-db" \/ "items": the backup's records differ/);
    expect(world.origins.get(A)).toMatchObject({ records: 12, localStorage: before.localStorage });
    expect(Object.keys((await local.get('snapshots')) ?? {})).toEqual([]);
    expect([...(await storedBackupIds())]).toEqual([]);
  });
});

describe('a page agent that sends what the backup protocol does not have', () => {
  const cases: [string, (part: { t: 'part'; index: number; blob: Blob }) => unknown, RegExp][] = [
    ['a part that is not binary', (p) => ({ ...p, blob: 'AAAA' }), /a part that is not binary/],
    ['a part posing as a Blob', (p) => ({ ...p, blob: { size: 1, type: 'image/png' } }), /a part that is not binary/],
    ['a part out of range', (p) => ({ ...p, index: 99 }), /a part out of range/],
    ['an object URL, as a Chromium backup once sent', (p) => ({ t: 'part-url', index: p.index, url: 'blob:http://localhost:7860/x' }), /a message the backup protocol does not have/],
    ['text where a part belongs', () => ({ t: 'text', chunk: { length: 1 } }), /a text chunk that is not text/],
  ];
  it.each(cases)('%s: nothing is kept and the site data stays', async (_, sentAs, detail) => {
    world.origins.set(A, page({ records: 12, blobBytes: 2048 }));
    world.partSentAs = sentAs;
    await expectKept(detail);
  });
  it.each([
    ['its fingerprint before its data', 'end-first', /the page sent its fingerprint before its data/],
    ['no fingerprint at all', 'no-fingerprint', /the page sent no fingerprint of its data/],
    ['"sent" twice', 'sent-twice', /the page sent more after saying it had sent everything/],
    ['data after "sent"', 'data-after-sent', /the page sent more after saying it had sent everything/],
  ] as const)('an agent that sends %s: nothing is kept and the site data stays', async (_, protocol, detail) => {
    world.origins.set(A, page({ records: 12, blobBytes: 2048 }));
    world.agentProtocol = protocol;
    await expectKept(detail);
  });
  async function expectKept(detail: RegExp): Promise<void> {
    const tab = await openTab(`${A}/`);
    const before = structuredClone(world.origins.get(A)!);
    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({ ok: true, report: { keptSiteData: true, keptSiteDataBecause: 'backup-failed', undo: null } });
    expect(result.ok && result.report.backupDetail).toMatch(detail);
    expect(world.origins.get(A)).toMatchObject({ records: 12, localStorage: before.localStorage });
    expect(Object.keys((await local.get('snapshots')) ?? {})).toEqual([]);
    expect([...(await storedBackupIds())]).toEqual([]);
  }
});

describe('Firefox containers', () => {
  it('a clear in a container removes browser-level site data of that container only; its backup goes back there only', async () => {
    setFirefox(true);
    world.origins.set(A, page({ records: 7, busyDatabases: ['app-db'] }));
    const tab = await openTab(`${A}/`, { cookieStoreId: 'firefox-container-1' });
    const result = await clearAndReload(tab, 'popup');
    expect(result).toMatchObject({ ok: true, report: { keptSiteData: false, undo: { id: expect.any(String) } } });
    // The database the app held open falls to the browser: scoped to the container, never every container.
    expect(world.removals.filter((r) => r.types.indexedDB)).toEqual([{ filter: { hostnames: ['localhost:7860'], cookieStoreId: 'firefox-container-1' }, types: { indexedDB: true } }]);
    const [meta] = await backups();
    expect(meta).toMatchObject({ partition: 'firefox-container-1' });

    // From a tab of the default container, with no tab of the container left: refused, nothing touched.
    await closeTab(tab);
    const plain = await openTab(`${A}/`);
    world.origins.set(A, page({ records: 3 }));
    world.reloads = [];
    world.pausedReloads = [];
    expect(await undo(meta!.id, plain)).toEqual({ ok: false, error: 'other-partition' });
    expect(world.origins.get(A)).toEqual(page({ records: 3 }));
    expect([...world.reloads, ...world.pausedReloads]).toEqual([]);

    // A tab of that container again: restored there.
    const back = await openTab(`${A}/`, { cookieStoreId: 'firefox-container-1' });
    expect(await undo(meta!.id, plain)).toMatchObject({ ok: true, records: 7 });
    expect(world.restores.at(-1)!.tabId).toBe(back);
  });
});

describe('an Undo that goes wrong', () => {
  it('a second Undo of the same site while one runs is refused', async () => {
    world.origins.set(A, page({ records: 3 }));
    const tab = await openTab(`${A}/`);
    const result = await clearAndReload(tab, 'popup');
    const id = result.ok ? result.report.undo!.id : '';
    const answers = await Promise.all([undo(id, tab), undo(id, tab)]);
    expect(answers.map((a) => (a.ok ? 'ok' : a.error)).sort()).toEqual(['busy', 'ok']);
  });

  it('a backup whose content is gone ends with an error, not a wait: the pause is lifted and the tab reloaded', async () => {
    world.origins.set(A, page({ records: 3, blobBytes: 1024 }));
    const tab = await openTab(`${A}/`);
    const result = await clearAndReload(tab, 'popup');
    const id = result.ok ? result.report.undo!.id : '';
    await deleteBackup(id); // the index still names it
    world.reloads = [];
    expect(await undo(id, tab)).toMatchObject({ ok: false, error: 'failed', detail: expect.stringMatching(/closed the connection|missing/) });
    expect(world.sessionRules).toEqual([]);
    expect(Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k.startsWith('pause:'))).toEqual([]);
    expect(world.reloads.at(-1)).toEqual({ tabId: tab, bypassCache: true });
  });

  it('a pause left by a worker that died mid-Undo is lifted when the next one starts, and its tab reloaded', async () => {
    const tab = await openTab(`${A}/`);
    world.origins.set(A, page());
    world.sessionRules = [{ id: 4242, priority: 100, action: { type: 'modifyHeaders' }, condition: { urlFilter: `|${A}/`, tabIds: [tab] } } as never];
    await fakeBrowser.storage.session.set({ 'pause:4242': { origin: A, tabIds: [tab], at: Date.now() } });
    vi.resetModules();
    const fresh = await import('./site-pause');
    await fresh.liftStalePauses();
    expect(world.sessionRules).toEqual([]);
    expect(await fakeBrowser.storage.session.get('pause:4242')).toEqual({});
    expect(world.reloads).toEqual([{ tabId: tab, bypassCache: true }]);
  });
});
