import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const load = (lang: string) => JSON.parse(readFileSync(join(root, 'public/_locales', lang, 'messages.json'), 'utf8')) as Record<string, { message: string }>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('locales', () => {
  const en = load('en');
  const zh = load('zh_CN');

  it('English and Simplified Chinese have the same keys, none empty', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, { message }] of Object.entries(zh)) expect(message, key).not.toBe('');
  });

  it('every translated string keeps its placeholders (a language may put them in another order)', () => {
    for (const key of Object.keys(en)) {
      expect((zh[key]!.message.match(/\$\d/g) ?? []).sort(), key).toEqual((en[key]!.message.match(/\$\d/g) ?? []).sort());
    }
  });

  it('every key the code asks for exists', () => {
    const code = [...sources(join(root, 'src')), join(root, 'manifest.config.ts')].map((f) => readFileSync(f, 'utf8')).join('\n');
    const used = new Set([...code.matchAll(/\bt(?:r)?\('([A-Za-z]+)'/g), ...code.matchAll(/__MSG_([A-Za-z]+)__/g)].map((m) => m[1]!));
    // Keys picked from a table by prefix (restrictedFile, originErrorPort, importTooLarge): a capital follows the prefix.
    const table = new Set([...code.matchAll(/'((?:restricted|originError|import)[A-Z][A-Za-z]+)'/g)].map((m) => m[1]!));
    for (const key of [...used, ...table]) expect(en, key).toHaveProperty(key);
  });
});
