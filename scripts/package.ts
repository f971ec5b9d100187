/**
 * Store-ready archives from the builds: artifacts/stalebuster-chrome-<v>.zip for
 * the Chrome Web Store, artifacts/stalebuster-firefox-<v>.zip for AMO, and
 * artifacts/stalebuster-source-<v>.zip, the source AMO asks for with minified
 * bundles (the committed tree, with docs/build-from-source.md).
 * web-ext's builder zips a directory with the manifest at its root, as both stores want.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
for (const target of ['chrome', 'firefox']) {
  // The store assigns the store build its own id: the unpacked build's `key` stays out of the archive.
  const dir = mkdtempSync(join(tmpdir(), `stalebuster-${target}-`));
  cpSync(`dist/${target}`, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { key?: string };
  delete manifest.key;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  try {
    execFileSync(
      'npx',
      ['web-ext', 'build', '--source-dir', dir, '--artifacts-dir', 'artifacts', '--filename', `stalebuster-${target}-${version}.zip`, '--overwrite-dest'],
      { stdio: 'inherit' },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The source as committed (git archive): what a reviewer rebuilds from, without node_modules or builds.
execFileSync('git', ['archive', '--format=zip', '--prefix', `stalebuster-${version}/`, '-o', `artifacts/stalebuster-source-${version}.zip`, 'HEAD'], { stdio: 'inherit' });
