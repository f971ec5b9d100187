import { LIMITS, loadSettings, type Settings } from './settings';

/** Settings at every bound are a few hundred KB; a larger file is not settings, and is refused before parsing. */
export const MAX_IMPORT_BYTES = 1_000_000;

export type ImportResult =
  | { ok: true; settings: Settings }
  | { ok: false; error: 'too-large'; bytes: number }
  | { ok: false; error: 'too-many'; what: keyof typeof LIMITS; count: number; limit: number }
  | { ok: false; error: 'not-json' | 'invalid'; detail: string };

/** Nothing is applied from a file that is not, in full, valid settings of this or an older version. */
export function parseImport(text: string): ImportResult {
  if (text.length > MAX_IMPORT_BYTES) return { ok: false, error: 'too-large', bytes: text.length };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: 'not-json', detail: e instanceof Error ? e.message : String(e) };
  }
  // Limits first: "6,000 sites, at most 2,000" says more than a schema error.
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    for (const what of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
      const value = record[what];
      const count = Array.isArray(value) ? value.length : value && typeof value === 'object' ? Object.keys(value).length : 0;
      if (count > LIMITS[what]) return { ok: false, error: 'too-many', what, count, limit: LIMITS[what] };
    }
  }
  const loaded = loadSettings(data);
  if (loaded.status === 'ok') return { ok: true, settings: loaded.settings };
  return { ok: false, error: 'invalid', detail: loaded.status === 'salvaged' ? loaded.issue : 'empty' };
}

export function exportSettings(settings: Settings): string {
  return JSON.stringify(settings, null, 2) + '\n';
}
