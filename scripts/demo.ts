/**
 * `npm run demo`: a stale local AI app and its fix, in a minute.
 * Starts a demo app on 127.0.0.1:7860 (hashed bundles cached for a year, an
 * offline-first service worker, IndexedDB and localStorage), then opens
 * Chromium with the freshly built extension. Ctrl+C ends it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROME_DIST, CHROMIUM_PATH, missingPrerequisites } from '../e2e/drivers/paths';
import { AppServer } from '../e2e/fixtures/app-server';

const missing = missingPrerequisites().filter((m) => !m.includes('Firefox') && !m.includes('xdotool') && !m.includes('xvfb'));
if (missing.length) {
  console.error(missing.join('\n'));
  process.exit(1);
}

const app = await new AppServer({ port: 7860, host: '127.0.0.1', name: 'Demo speech recognizer', serviceWorker: true, autoSeed: true, demoControls: true }).start();
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'stalebuster-demo-')), {
  executablePath: CHROMIUM_PATH,
  headless: false,
  viewport: null,
  args: [`--disable-extensions-except=${CHROME_DIST}`, `--load-extension=${CHROME_DIST}`, '--no-first-run', '--disable-background-networking', '--disable-sync'],
});
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(`${app.origin}/`);

console.log(`
Demo app: ${app.origin}/  (v${app.version})
  1. Click "Upgrade the server" in the page (or: curl -X POST ${app.origin}/__upgrade).
  2. Press F5: still v1. The app's service worker serves the old shell; no header can help.
  3. Click the Stalebuster toolbar button, then "Clear & reload" (or Alt+Shift+K): v2.
Ctrl+C to stop.`);

const stop = async () => {
  await context.close().catch(() => undefined);
  await app.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
context.on('close', () => void stop());
