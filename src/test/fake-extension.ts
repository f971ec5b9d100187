/**
 * A stateful stand-in for the extension APIs in unit tests: @webext-core/fake-browser
 * (storage, tabs, runtime, alarms, notifications, action) plus small fakes of what it
 * leaves out (DNR, browsingData, scripting, permissions, i18n), each keeping state
 * and failing the way the real API does.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { digestSite } from '../core/site-digest';
import { decodeDump, dumpStats, encodeDump, isEmptyDump, type SiteDump } from '../core/snapshot-format';
import { RESTORE_PORT, SNAPSHOT_PORT, chunks, type BackupMessage } from '../core/undo-protocol';
import type { LivePage } from './live-page';
import { portPair, type FakePort } from './fake-port';

export interface FakePage {
  serviceWorkers: number;
  caches: string[];
  databases: string[];
  /** Databases an open connection keeps from being deleted. */
  busyDatabases?: string[];
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
  usage: number;
  /** Records in each database (the fake page agent backs them up and restores them). */
  records?: number;
  /** Bytes of a Blob attached to the first record, to make a site large. */
  blobBytes?: number;
  /** What the page agent's reading fails with (a database the app blocks, say). */
  readError?: string;
  /** What content/app-markers reads in the page (its title, a Gradio config…), as that function returns it. */
  markers?: string;
}

export interface FakeRule {
  id: number;
  condition: { urlFilter?: string };
  action: { type: string; requestHeaders?: { header: string; value?: string }[] };
}

export const world = {
  /** Page state per origin (site storage is per origin, shared by its tabs). */
  origins: new Map<string, FakePage>(),
  removals: [] as { filter: Record<string, string[]>; types: Record<string, boolean> }[],
  reloads: [] as { tabId: number; bypassCache: boolean }[],
  /** Reloads made while a script pause held the tab (background/site-pause). */
  pausedReloads: [] as { tabId: number; bypassCache: boolean }[],
  /** The session rules in force when each backup was read (a pause must hold the site). */
  snapshotRules: [] as FakeRule[][],
  rules: [] as FakeRule[],
  granted: new Set<string>(),
  scriptCalls: [] as { tabId: number; func: string; origin: string }[],
  /** The arguments of each in-page clear after the origin: [siteData, scope]. */
  clearArgs: [] as unknown[][],
  /** Runs before each scripted call; may throw or mutate tabs to simulate closing one mid-clear. */
  beforeScript: null as null | ((tabId: number) => void | Promise<void>),
  beforeRemove: null as null | (() => void | Promise<void>),
  /** Runs while a backup is half sent (the text sent, the end not yet). */
  midSnapshot: null as null | (() => void | Promise<void>),
  /** The agent's call never answers once its backup is sent (Firefox, when the document unloads meanwhile). */
  agentHangsAfterSend: false,
  /** The agent's encoding loses a value its fingerprint saw (as Firefox's Xray view did to keys like `constructor`). */
  encodingLoses: false,
  /** A broken or hostile agent: its fingerprint before its "sent", none at all, "sent" twice, or data after "sent". */
  agentProtocol: null as null | 'end-first' | 'no-fingerprint' | 'sent-twice' | 'data-after-sent',
  /** What a hostile or broken agent sends in place of each binary part (null: the part itself). */
  partSentAs: null as null | ((part: Extract<BackupMessage, { t: 'part' }>) => unknown),
  firefox: false,
  /** The user answers the next permission prompts with Deny. */
  denyRequests: false,
  closedTabs: new Set<number>(),
  /** The browser's dynamic rule limit: an update over it is refused whole, as in Chromium and Firefox. */
  dnrLimit: Infinity,
  /** Tabs still loading their document (tabs.get reports status "loading"). */
  loadingTabs: new Set<number>(),
  sessionRules: [] as FakeRule[],
  /** A page whose scripts run for real (test/live-page), or null: every page is the model in `origins`. */
  livePage: null as LivePage | null,
  /** Tabs the undo agent file was injected into. */
  agentTabs: new Set<number>(),
  /** Each restore: the tab, and the session rules in force while it ran (the scripts pause). */
  restores: [] as { tabId: number; rules: FakeRule[] }[],
  /**
   * The document each tab shows, by the id its content script made. A
   * `reload-document` message reaches a tab's content script and reloads the page
   * only when the id matches, as content/page-report answers it.
   */
  documents: new Map<number, string>(),
  /** In-page notices shown (content/stale-notice), by tab and document. */
  notices: [] as { tabId: number; docId: string; text: Record<string, string> }[],
  /** Notifications as created, by id (the browser's getAll only says which ids exist). */
  notifications: new Map<string, { title: string; message: string; buttons?: { title: string }[] }>(),
};

const fakeCreateNotification = fakeBrowser.notifications.create.bind(fakeBrowser.notifications);
async function createNotification(id: string, options: { title: string; message: string; buttons?: { title: string }[] }) {
  // Firefox's schema has no notification buttons.
  if (world.firefox && options.buttons) throw new Error('Type error for parameter options (Unexpected property "buttons")');
  world.notifications.set(id, structuredClone(options));
  return fakeCreateNotification(id, options as never);
}

export function page(overrides: Partial<FakePage> = {}): FakePage {
  return {
    serviceWorkers: 1,
    caches: ['shell-v1'],
    databases: ['app-db'],
    localStorage: { workflow: 'mine' },
    sessionStorage: { tab: 'state' },
    usage: 5_000_000,
    ...overrides,
  };
}

async function tabUrl(tabId: number): Promise<string> {
  return (await fakeBrowser.tabs.get(tabId)).url ?? '';
}

const declarativeNetRequest = {
  async getDynamicRules() {
    return structuredClone(world.rules);
  },
  async updateDynamicRules({ removeRuleIds = [], addRules = [] }: { removeRuleIds?: number[]; addRules?: FakeRule[] }) {
    const kept = world.rules.filter((r) => !removeRuleIds.includes(r.id));
    if (kept.length + addRules.length > world.dnrLimit) throw new Error('Dynamic rule count exceeded.');
    const ids = new Set(kept.map((r) => r.id));
    for (const rule of addRules) {
      if (ids.has(rule.id)) throw new Error(`Duplicate rule ID: ${rule.id}`);
      ids.add(rule.id);
    }
    // Applied only when the whole update is valid, as in the browser.
    world.rules = [...kept, ...structuredClone(addRules)];
  },
};

Object.assign(declarativeNetRequest, {
  async getSessionRules() {
    return structuredClone(world.sessionRules);
  },
  async updateSessionRules({ removeRuleIds = [], addRules = [] }: { removeRuleIds?: number[]; addRules?: FakeRule[] }) {
    world.sessionRules = [...world.sessionRules.filter((r) => !removeRuleIds.includes(r.id)), ...structuredClone(addRules)];
  },
});

const browsingData = {
  async remove(filter: Record<string, string[]>, types: Record<string, boolean>) {
    await world.beforeRemove?.();
    world.removals.push({ filter, types });
  },
};

const scripting = {
  async executeScript({ target, func, args = [], files }: { target: { tabId: number }; func?: (...a: unknown[]) => unknown; args?: unknown[]; files?: string[] }) {
    await world.beforeScript?.(target.tabId);
    const origin = new URL(await tabUrl(target.tabId)).origin;
    // A page whose scripts run for real (test/live-page): the real agent, the real injected functions.
    const live = world.livePage;
    if (live?.origin === origin) {
      if (files) {
        await live.injectAgent();
        world.agentTabs.add(target.tabId);
        return [{ frameId: 0, result: undefined }];
      }
      if (!func) throw new Error('nothing to run');
      world.scriptCalls.push({ tabId: target.tabId, func: func.name, origin });
      return [{ frameId: 0, result: await live.run(func as (...a: never[]) => unknown, args) }];
    }
    if (files) {
      if (!world.origins.has(origin)) throw new Error('Cannot access contents of the page.');
      world.agentTabs.add(target.tabId);
      return [{ frameId: 0, result: undefined }];
    }
    if (!func) throw new Error('nothing to run');
    if (func.name === 'runUndoAgent') return [{ frameId: 0, result: await fakeAgent(target.tabId, origin, args as [string, unknown[]]) }];
    if (func.name === 'unregisterWorkersInPage') {
      const state = world.origins.get(origin);
      if (!state || args[0] !== origin) return [{ frameId: 0, result: 0 }];
      const n = state.serviceWorkers;
      state.serviceWorkers = 0;
      return [{ frameId: 0, result: n }];
    }
    if (func.name === 'readAppMarkers') {
      const state = world.origins.get(origin);
      if (!state) throw new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.');
      // Asked for the name alone, the real function leaves config text out; the fake keeps that promise.
      if (args[0] !== false) throw new Error('readAppMarkers is only run for an offer, without config text');
      return [{ frameId: 0, result: state.markers ?? '<title></title>' }];
    }
    if (func.name === 'siteDataInPage') {
      const state = world.origins.get(origin);
      const any = !!state && (Object.keys(state.localStorage).length > 0 || state.databases.length > 0);
      return [{ frameId: 0, result: state && args[0] === origin ? { any, usage: state.usage } : null }];
    }
    world.scriptCalls.push({ tabId: target.tabId, func: func.name, origin });
    const state = world.origins.get(origin);
    if (!state) throw new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.');
    const [expectedOrigin, siteData] = args as [string, boolean];
    // The real functions check location.origin first; so does the fake.
    if (expectedOrigin !== origin) return [{ frameId: 0, result: null }];
    if (func.name !== 'clearInPage') throw new Error(`fake scripting does not know ${func.name}`);
    world.clearArgs.push(args.slice(1));
    const scope = (args[2] ?? null) as { path: string | null; keep: string[] } | null;
    const bytesBefore = state.usage;
    const result = {
      serviceWorkers: state.serviceWorkers,
      caches: [...state.caches],
      indexedDB: siteData
        ? state.databases.map((name) => ({ name, outcome: state.busyDatabases?.includes(name) ? 'blocked' : 'deleted' }))
        : [],
      localStorageItems: siteData ? Object.keys(state.localStorage).length : 0,
      sessionStorageItems: Object.keys(state.sessionStorage).length,
      bytesBefore,
    };
    state.serviceWorkers = 0;
    state.caches = [];
    state.sessionStorage = {};
    state.usage = 1000;
    if (siteData) {
      state.databases = [];
      state.localStorage = {};
    }
    // An app under a path: the fake page holds that app alone (the real scoping is proven in e2e/app-paths).
    const scoped = scope === null ? {} : { scoped: { path: scope.path, cacheEntries: result.caches.length, otherWorkers: 0, otherCaches: 0 } };
    return [{ frameId: 0, result: { ...result, bytesAfter: state.usage, ...scoped } }];
  },
};

interface RegisteredScript {
  id: string;
  matches: string[];
  js: string[];
}
const registeredScripts = new Map<string, RegisteredScript>();
Object.assign(scripting, {
  async getRegisteredContentScripts({ ids }: { ids?: string[] } = {}) {
    return [...registeredScripts.values()].filter((s) => !ids || ids.includes(s.id));
  },
  async registerContentScripts(scripts: RegisteredScript[]) {
    for (const s of scripts) {
      if (registeredScripts.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
      registeredScripts.set(s.id, structuredClone(s));
    }
  },
  async unregisterContentScripts({ ids = [] }: { ids?: string[] }) {
    for (const id of ids) {
      if (!registeredScripts.delete(id)) throw new Error(`Nonexistent script ID '${id}'`);
    }
  },
});
export { registeredScripts };

type PermissionsListener = (p: { origins: string[]; permissions: string[] }) => void;
const permissionListeners = { added: new Set<PermissionsListener>(), removed: new Set<PermissionsListener>() };
const listenerSet = (set: Set<PermissionsListener>) => ({
  addListener: (l: PermissionsListener) => void set.add(l),
  removeListener: (l: PermissionsListener) => void set.delete(l),
  hasListener: (l: PermissionsListener) => set.has(l),
});
const permissions = {
  async contains({ origins = [] }: { origins?: string[] }) {
    return origins.every((o) => world.granted.has(o));
  },
  async getAll() {
    return { origins: [...world.granted], permissions: [] };
  },
  /** The user says yes (or `world.denyRequests` says no); a grant fires onAdded, as the browser does. */
  async request({ origins = [] }: { origins?: string[] }) {
    if (world.denyRequests) return false;
    origins.forEach((o) => world.granted.add(o));
    for (const l of permissionListeners.added) l({ origins: [...origins], permissions: [] });
    return true;
  },
  onAdded: listenerSet(permissionListeners.added),
  onRemoved: listenerSet(permissionListeners.removed),
};

type ConnectListener = (port: FakePort) => void;
const connectListeners = new Set<ConnectListener>();
const onConnect = {
  addListener: (l: ConnectListener) => void connectListeners.add(l),
  removeListener: (l: ConnectListener) => void connectListeners.delete(l),
  hasListener: (l: ConnectListener) => connectListeners.has(l),
};

/** A script of the page at `url` in `tabId` connects, as runtime.connect does: the port at once, the background's side a moment later. */
export function connectFromPage(tabId: number, url: string, name: string): FakePort {
  const { page, ext } = portPair(name, { id: fakeBrowser.runtime.id, tab: { id: tabId }, frameId: 0, url });
  queueMicrotask(() => connectListeners.forEach((l) => l(ext)));
  return page;
}

/** A content script in `tabId` connects to the background, as runtime.connect does. */
async function connectFromTab(tabId: number, name: string): Promise<FakePort> {
  return connectFromPage(tabId, await tabUrl(tabId), name);
}

function siteDump(state: FakePage): SiteDump {
  const n = state.records ?? 3;
  return {
    localStorage: Object.entries(state.localStorage),
    databases: state.databases.map((name) => ({
      name,
      version: 1,
      stores: [{
        name: 'items', keyPath: null, autoIncrement: false, indexes: [],
        keys: Array.from({ length: n }, (_, i) => i),
        values: Array.from({ length: n }, (_, i) => (i === 0 && state.blobBytes ? { at: new Date(0), file: new Blob([new Uint8Array(state.blobBytes)]) } : { at: new Date(i), text: `record ${i}` })),
      }],
    })),
  };
}

/** The page agent of a fake page: the real protocol and the real encoding, over the fake page's data. */
async function fakeAgent(tabId: number, origin: string, [call, args]: [string, unknown[]]): Promise<unknown> {
  if (!world.agentTabs.has(tabId)) return { ok: false, error: 'no-agent' };
  const state = world.origins.get(origin);
  if (!state || args[0] !== origin) return { ok: false, error: 'navigated' };
  if (call === 'snapshot') {
    const [, token, maxBytes] = args as [string, string, number];
    world.snapshotRules.push(structuredClone(world.sessionRules));
    if (state.readError) return { ok: false, error: 'read-failed', detail: state.readError };
    const dump = siteDump(state);
    if (isEmptyDump(dump)) return { ok: true, empty: true };
    // What travels; the fingerprint is of `dump`, the page's own objects.
    const carried = !world.encodingLoses ? dump : {
      ...dump,
      databases: dump.databases.map((d, i) => (i > 0 ? d : {
        ...d, stores: d.stores.map((s, j) => (j > 0 ? s : { ...s, values: s.values.map((v, k) => (k === 0 ? { lost: true } : v)) })),
      })),
    };
    const { text, blobs } = encodeDump(carried);
    const bytes = text.length + blobs.reduce((n, b) => n + b.size, 0);
    if (bytes > maxBytes) return { ok: false, error: 'over-cap', bytes };
    const port = await connectFromTab(tabId, SNAPSHOT_PORT + token);
    const reply = new Promise<{ t: string; error?: string }>((resolve) => port.onMessage.addListener((m) => resolve(m as { t: string })));
    const send = (m: BackupMessage) => port.postMessage(m);
    send({ t: 'head', parts: blobs.length, bytes, ...dumpStats(dump), hashing: 'sha256' });
    for (const chunk of chunks(text)) send({ t: 'text', chunk });
    for (const [index, blob] of blobs.entries()) port.postMessage(world.partSentAs ? world.partSentAs({ t: 'part', index, blob }) : { t: 'part', index, blob });
    if (world.midSnapshot) {
      await new Promise((r) => setTimeout(r, 0)); // what was sent so far has been stored
      await world.midSnapshot();
    }
    const digest = await digestSite(dump, 'sha256');
    if (world.agentProtocol === 'end-first') send({ t: 'end', digest });
    send({ t: 'sent' });
    if (world.agentProtocol === 'sent-twice') send({ t: 'sent' });
    // More data after 'sent': it would be stored but not be in the fingerprint compared at 'end'.
    if (world.agentProtocol === 'data-after-sent') send({ t: 'text', chunk: ',"smuggled"' });
    if (world.agentProtocol === 'no-fingerprint') send({ t: 'end' });
    else send({ t: 'end', digest });
    const answer = await reply;
    if (world.agentHangsAfterSend) return new Promise(() => undefined);
    return answer.t === 'stored' ? { ok: true, empty: false, bytes } : { ok: false, error: 'send-failed', detail: answer.error };
  }
  const [, token] = args as [string, string];
  world.restores.push({ tabId, rules: structuredClone(world.sessionRules) });
  const port = await connectFromTab(tabId, RESTORE_PORT + token);
  let dump: SiteDump;
  try {
    dump = await receiveDump(port);
  } catch (e) {
    return { ok: false, error: 'write-failed', detail: (e as Error).message };
  }
  state.localStorage = Object.fromEntries(dump.localStorage);
  state.databases = dump.databases.map((d) => d.name);
  state.records = dump.databases[0]?.stores[0]?.keys.length ?? 0;
  port.postMessage({ t: 'restored', ...dumpStats(dump) });
  return { ok: true, ...dumpStats(dump) };
}

/** As the real agent: a connection closed before the end is an error, never an endless wait. */
function receiveDump(port: FakePort): Promise<SiteDump> {
  return new Promise<SiteDump>((resolve, reject) => {
    const text: string[] = [];
    const parts: Blob[][] = [];
    port.onDisconnect.addListener(() => reject(new Error('the extension closed the connection')));
    port.onMessage.addListener((raw) => {
      const m = raw as BackupMessage;
      if (m.t === 'head') for (let i = 0; i < m.parts; i++) parts.push([]);
      if (m.t === 'text') text.push(m.chunk);
      if (m.t === 'part') parts[m.index]!.push(m.blob);
      if (m.t === 'end') resolve(decodeDump(text.join(''), parts.map((p) => new Blob(p))));
    });
  });
}

const i18n = {
  getMessage: (key: string, subs?: string | string[]) => (subs === undefined ? key : `${key}(${[subs].flat().join(',')})`),
  getUILanguage: () => 'en',
};

const tabsReload = async (tabId: number, props: { bypassCache?: boolean } = {}) => {
  const url = await tabUrl(tabId);
  // A reload under a script pause (background/site-pause) is the pause's, not the one the user sees.
  const paused = world.sessionRules.some((r) => (r.condition as { tabIds?: number[] }).tabIds?.includes(tabId));
  (paused ? world.pausedReloads : world.reloads).push({ tabId, bypassCache: props.bypassCache === true });
  // The new document loads after reload() has answered, as in the browser.
  setTimeout(() => {
    void (async () => {
      const tab = { ...(await fakeGet(tabId)), url };
      await fakeBrowser.tabs.onUpdated.trigger(tabId, { status: 'loading' }, { ...tab, status: 'loading' } as never);
      await fakeBrowser.tabs.onUpdated.trigger(tabId, { status: 'complete' }, { ...tab, status: 'complete' } as never);
    })();
  }, 0);
};

// The fake's tabs.get answers undefined for a missing tab; the browser rejects.
const fakeGet = fakeBrowser.tabs.get.bind(fakeBrowser.tabs);
const fakeQuery = fakeBrowser.tabs.query.bind(fakeBrowser.tabs);
/** Firefox containers of the fake's tabs (the fake browser keeps no cookieStoreId itself). */
const containers = new Map<number, string>();
const withContainer = <T extends { id?: number }>(tab: T): T => (world.firefox || containers.has(tab.id!) ? { ...tab, cookieStoreId: containers.get(tab.id!) ?? 'firefox-default' } : tab);
const tabsGet = async (tabId: number) => {
  const tab = world.closedTabs.has(tabId) ? undefined : await fakeGet(tabId);
  if (!tab) throw new Error(`No tab with id: ${tabId}.`);
  return withContainer({ ...tab, status: world.loadingTabs.has(tabId) ? 'loading' : 'complete' });
};
const tabsQuery = async (info: Parameters<typeof fakeQuery>[0]) =>
  (await fakeQuery(info)).filter((t) => !world.closedTabs.has(t.id!)).map(withContainer);
const tabsSendMessage = async (tabId: number, message: unknown) => {
  const doc = world.documents.get(tabId);
  // No content script in the tab (closed, another site, a cached page): the browser rejects.
  if (world.closedTabs.has(tabId) || doc === undefined) throw new Error('Could not establish connection. Receiving end does not exist.');
  const m = message as { type?: unknown; docId?: unknown };
  if (m.docId === doc && m.type === 'show-notice') {
    world.notices.push({ tabId, docId: doc, text: (message as { text: Record<string, string> }).text });
    return true;
  }
  if (m.docId !== doc || m.type !== 'reload-document') return undefined;
  world.documents.delete(tabId);
  await tabsReload(tabId);
  return true;
};
const tabOverrides = { reload: tabsReload, get: tabsGet, query: tabsQuery, sendMessage: tabsSendMessage };

/**
 * runtime.sendMessage from an extension page (popup, options) to the background:
 * the sender is that page, as the browser names it (the fake's own sends `{}`),
 * and the answer is the first listener's.
 */
async function runtimeSendMessage(message: unknown): Promise<unknown> {
  const sender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('src/options/index.html') };
  const answers = await fakeBrowser.runtime.onMessage.trigger(message, sender as never, () => undefined);
  return (await Promise.all(answers as unknown[])).find((a) => a !== undefined);
}

/** Closes a tab the way the user does (the fake's own tabs.remove mixes up tab and window ids). */
export function closeTab(tabId: number): void {
  world.closedTabs.add(tabId);
}

/** An event the tests fire themselves (the fake browser has no commands or menus). */
function fakeEvent<A extends unknown[]>() {
  const listeners = new Set<(...args: A) => unknown>();
  return {
    addListener: (l: (...args: A) => unknown) => void listeners.add(l),
    removeListener: (l: (...args: A) => unknown) => void listeners.delete(l),
    hasListener: (l: (...args: A) => unknown) => listeners.has(l),
    trigger: (...args: A) => Promise.all([...listeners].map((l) => l(...args))),
    clear: () => listeners.clear(),
  };
}
const commands = {
  onCommand: fakeEvent<[string, { id?: number }?]>(),
  getAll: async () => [{ name: 'clear-and-reload', shortcut: 'Alt+Shift+K', description: '' }],
};
const contextMenus = {
  onClicked: fakeEvent<[{ menuItemId: string | number }, { id?: number }?]>(),
  create: () => 1,
  removeAll: async () => undefined,
};

export const fake = fakeBrowser as unknown as Record<string, unknown> & typeof fakeBrowser & { commands: typeof commands; contextMenus: typeof contextMenus };
Object.assign(fake, { declarativeNetRequest, browsingData, scripting, permissions, i18n, commands, contextMenus });
Object.assign(fakeBrowser.runtime, { onConnect, sendMessage: runtimeSendMessage });
Object.assign(fakeBrowser.notifications, { create: createNotification });
Object.assign(fakeBrowser.tabs, tabOverrides);

/** The parts of the built manifest the background reads. */
const FAKE_MANIFEST = { content_scripts: [{ js: ['assets/page-report.js'], matches: ['http://localhost/*'] }] };
Object.assign(fakeBrowser.runtime, { getManifest: () => FAKE_MANIFEST });

/** The worker died: the listeners it registered are gone with it (a new one registers its own). */
export function stopWorker(): void {
  connectListeners.clear();
}

export function resetWorld(): void {
  fakeBrowser.reset();
  Object.assign(fakeBrowser.tabs, tabOverrides);
  world.closedTabs.clear();
  world.loadingTabs.clear();
  world.documents.clear();
  world.notices = [];
  commands.onCommand.clear();
  contextMenus.onClicked.clear();
  Object.assign(fake, { commands, contextMenus });
  world.sessionRules = [];
  world.agentTabs.clear();
  world.livePage = null;
  world.restores = [];
  connectListeners.clear();
  world.notifications.clear();
  Object.assign(fakeBrowser.runtime, { onConnect, sendMessage: runtimeSendMessage });
  Object.assign(fakeBrowser.notifications, { create: createNotification });
  registeredScripts.clear();
  Object.assign(fakeBrowser.runtime, { getManifest: () => FAKE_MANIFEST });
  world.origins.clear();
  world.removals = [];
  world.clearArgs = [];
  world.reloads = [];
  world.pausedReloads = [];
  world.snapshotRules = [];
  world.rules = [];
  world.granted.clear();
  world.denyRequests = false;
  permissionListeners.added.clear();
  permissionListeners.removed.clear();
  world.scriptCalls = [];
  world.beforeScript = null;
  world.beforeRemove = null;
  world.midSnapshot = null;
  world.agentHangsAfterSend = false;
  world.encodingLoses = false;
  world.partSentAs = null;
  world.agentProtocol = null;
  containers.clear();
  world.dnrLimit = Infinity;
  setFirefox(false);
}

/** Firefox is detected by `runtime.getBrowserInfo`, as in production. */
export function setFirefox(on: boolean): void {
  world.firefox = on;
  const runtime = fakeBrowser.runtime as unknown as Record<string, unknown>;
  if (on) runtime.getBrowserInfo = async () => ({ name: 'Firefox', version: '153.0' });
  else delete runtime.getBrowserInfo;
}

/** `cookieStoreId`: the tab's Firefox container ('firefox-container-1') or private window. */
export async function openTab(url: string, opts: { cookieStoreId?: string; window?: 'popup' | 'app' } = {}): Promise<number> {
  // A window without the toolbar: an installed web app (`app`) or a popup window.
  const windowId = opts.window ? (await fakeBrowser.windows.create({ type: opts.window as 'popup' }))?.id : undefined;
  const tab = await fakeBrowser.tabs.create(windowId === undefined ? { url } : { url, windowId });
  if (opts.cookieStoreId) containers.set(tab.id!, opts.cookieStoreId);
  return tab.id!;
}
