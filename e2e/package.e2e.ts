import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import extract from 'extract-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumSession } from './drivers/chromium';
import { FirefoxSession } from './drivers/firefox';
import { ROOT } from './drivers/paths';
import type { BrowserSession } from './drivers/session';

/**
 * The store packages, as `npm run package` writes them (from the builds npm test
 * made): each unzipped and loaded into its real browser, where the background
 * starts and sets up its rules; the Firefox package passes web-ext lint with no
 * errors; the source archive holds the build instructions.
 */
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const artifact = (name: string) => join(ROOT, 'artifacts', `stalebuster-${name}-${version}.zip`);
const scratch = mkdtempSync(join(tmpdir(), 'stalebuster-packages-'));

beforeAll(() => {
  execFileSync('npx', ['tsx', 'scripts/package.ts'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
}, 150_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(['chromium', 'firefox'] as const)('the store package for %s', (browserName) => {
  let session: BrowserSession | undefined;
  afterAll(async () => session?.close());

  it('loads in the real browser: its background starts and installs the rules', async () => {
    const dir = join(scratch, browserName);
    await extract(artifact(browserName === 'chromium' ? 'chrome' : 'firefox'), { dir });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version: string; key?: string };
    expect(manifest.version).toBe(version);
    // The store assigns its own id: the unpacked build's key stays out of the store package.
    expect(manifest.key).toBeUndefined();
    session = browserName === 'chromium' ? await ChromiumSession.launch({ extensionDir: dir }) : await FirefoxSession.launch({ extensionDir: dir });
    const rules = await session.extension(async () => (await chrome.declarativeNetRequest.getDynamicRules()).length);
    expect(rules).toBeGreaterThan(0);
  });
});

describe('the other archives', () => {
  it('the Firefox package passes web-ext lint with no errors', () => {
    const out = execFileSync('npx', ['web-ext', 'lint', '--source-dir', join(scratch, 'firefox'), '--self-hosted=false', '--output=json'], { cwd: ROOT, timeout: 120_000 }).toString();
    const report = JSON.parse(out.slice(out.indexOf('{'))) as { summary: { errors: number } };
    expect(report.summary.errors).toBe(0);
  });

  it('the source archive has what a reviewer rebuilds from', async () => {
    const dir = join(scratch, 'source');
    await extract(artifact('source'), { dir });
    const root = join(dir, `stalebuster-${version}`);
    for (const file of ['package.json', 'package-lock.json', 'manifest.config.ts', 'vite.config.ts', 'docs/build-from-source.md', 'PRIVACY.md', 'src/background/index.ts']) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
    expect(existsSync(join(root, 'node_modules'))).toBe(false);
  });
});
