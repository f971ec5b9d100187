import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestFor } from '../../manifest.config';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { version: string; packages: Record<string, { version?: string }> };

describe('one version everywhere', () => {
  it('package.json, its lock file and both manifests carry the same version (`npm version <x>` changes all of them)', () => {
    expect(lock.version).toBe(pkg.version);
    expect(lock.packages['']?.version).toBe(pkg.version);
    for (const target of ['chrome', 'firefox'] as const) expect((manifestFor(target) as { version: string }).version).toBe(pkg.version);
  });

  it('the changelog has a section for that version', () => {
    expect(readFileSync('CHANGELOG.md', 'utf8')).toMatch(new RegExp(`^## ${pkg.version.replaceAll('.', '\\.')} — \\d{4}-\\d{2}-\\d{2}$`, 'm'));
  });

  it('the Firefox manifest claims only what is tested: no Firefox for Android', () => {
    const gecko = (manifestFor('firefox') as { browser_specific_settings?: Record<string, unknown> }).browser_specific_settings;
    expect(gecko).toHaveProperty('gecko');
    expect(gecko).not.toHaveProperty('gecko_android');
  });
});
