import { loadSettings, type Settings } from './settings';

export type ImportResult = { ok: true; settings: Settings } | { ok: false; error: 'not-json' | 'invalid'; detail: string };

/** Nothing is applied from a file that is not, in full, valid settings of this or an older version. */
export function parseImport(text: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: 'not-json', detail: e instanceof Error ? e.message : String(e) };
  }
  const loaded = loadSettings(data);
  if (loaded.status === 'ok') return { ok: true, settings: loaded.settings };
  return { ok: false, error: 'invalid', detail: loaded.status === 'corrupt' ? loaded.issue : 'empty' };
}

export function exportSettings(settings: Settings): string {
  return JSON.stringify(settings, null, 2) + '\n';
}
