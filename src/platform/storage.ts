import type { ClearReport, ClearTrigger } from '../core/clear-report';
import type { Fingerprint } from '../core/fingerprint';
import type { Origin } from '../core/origin';
import { loadSettings, type LoadResult, type Settings } from '../core/settings';
import { browser } from './browser';

/**
 * All persistent state, by key. The background service worker can be stopped at
 * any moment, so nothing that must outlive one event lives in a module variable.
 */
export interface LocalSchema {
  settings: unknown;
  settingsNotice: { issue: string; at: number } | undefined;
  reports: Record<Origin, ClearReport>;
  fingerprints: Record<Origin, StoredFingerprint>;
}
export type VisitOutcome = 'baseline' | 'same' | 'updated' | 'unreachable';

export interface StoredFingerprint extends Fingerprint {
  checkedAt: number;
}
export interface SessionSchema {
  /** Clears under way, by tab id: a restarted worker finishes them (see background/clear-and-reload). */
  clearJournal: Record<string, { origin: Origin; trigger: ClearTrigger; startedAt: number }>;
  /** Last version check per origin: when it started (debounce) and how it ended. */
  lastCheck: Record<Origin, { at: number; outcome?: VisitOutcome }>;
}

type Area = 'local' | 'session';
type SchemaOf<A extends Area> = A extends 'local' ? LocalSchema : SessionSchema;

async function read<A extends Area, K extends keyof SchemaOf<A> & string>(area: A, key: K): Promise<SchemaOf<A>[K] | undefined> {
  const got = await browser.storage[area].get(key);
  return got[key] as SchemaOf<A>[K] | undefined;
}

async function write<A extends Area, K extends keyof SchemaOf<A> & string>(area: A, key: K, value: SchemaOf<A>[K]): Promise<void> {
  await browser.storage[area].set({ [key]: value });
}

export const local = {
  get: <K extends keyof LocalSchema & string>(key: K) => read('local', key),
  set: <K extends keyof LocalSchema & string>(key: K, value: LocalSchema[K]) => write('local', key, value),
  remove: (key: keyof LocalSchema & string) => browser.storage.local.remove(key),
};

export const session = {
  get: <K extends keyof SessionSchema & string>(key: K) => read('session', key),
  set: <K extends keyof SessionSchema & string>(key: K, value: SessionSchema[K]) => write('session', key, value),
};

export async function readSettings(): Promise<LoadResult> {
  return loadSettings(await local.get('settings'));
}

export async function writeSettings(settings: Settings): Promise<void> {
  await local.set('settings', settings);
}

/** Read-modify-write of one key. Callers are event handlers in one worker; browser storage has no transactions. */
export async function updateLocal<K extends keyof LocalSchema & string>(
  key: K,
  fallback: LocalSchema[K],
  change: (current: LocalSchema[K]) => LocalSchema[K],
): Promise<LocalSchema[K]> {
  const next = change((await local.get(key)) ?? fallback);
  await local.set(key, next);
  return next;
}

export async function updateSession<K extends keyof SessionSchema & string>(
  key: K,
  fallback: SessionSchema[K],
  change: (current: SessionSchema[K]) => SessionSchema[K],
): Promise<SessionSchema[K]> {
  const next = change((await session.get(key)) ?? fallback);
  await session.set(key, next);
  return next;
}

export function onLocalChange(listener: (changed: Partial<Record<keyof LocalSchema, { newValue?: unknown }>>) => void): void {
  browser.storage.local.onChanged.addListener((changes) => listener(changes as Partial<Record<keyof LocalSchema, { newValue?: unknown }>>));
}
