/**
 * Store-ready archives from the builds: artifacts/stalebuster-chrome-<v>.zip for
 * the Chrome Web Store and artifacts/stalebuster-firefox-<v>.zip for AMO.
 * web-ext's builder zips a directory with the manifest at its root, as both stores want.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
for (const target of ['chrome', 'firefox']) {
  execFileSync(
    'npx',
    ['web-ext', 'build', '--source-dir', `dist/${target}`, '--artifacts-dir', 'artifacts', '--filename', `stalebuster-${target}-${version}.zip`, '--overwrite-dest'],
    { stdio: 'inherit' },
  );
}
