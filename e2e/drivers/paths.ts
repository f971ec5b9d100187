import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROME_DIST = `${ROOT}dist/chrome`;
export const FIREFOX_DIST = `${ROOT}dist/firefox`;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** What the end-to-end tests need that npm does not install, with how to get it. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM_PATH)) missing.push(`Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or: sudo apt-get install -y chromium)`);
  if (!existsSync(FIREFOX_PATH)) missing.push(`Firefox ESR not found at ${FIREFOX_PATH} (set FIREFOX_PATH, or: sudo apt-get install -y firefox-esr)`);
  const tools = [
    ['xvfb-run', 'xvfb', 'real key presses'],
    ['xdotool', 'xdotool', 'real key presses'],
    ['scrot', 'scrot', 'seeing a browser dialog settle on screen before answering it'],
    ['unshare', 'util-linux', "the tests' private loopback and /etc"],
    ['ip', 'iproute2', "the tests' private loopback"],
  ] as const;
  const dirs = [...(process.env.PATH?.split(':') ?? []), '/usr/sbin', '/sbin'];
  for (const [tool, pkg, why] of tools) {
    if (!dirs.some((dir) => existsSync(`${dir}/${tool}`))) missing.push(`${tool} not found (needed for ${why}: sudo apt-get install -y ${pkg})`);
  }
  if (!existsSync(`${CHROME_DIST}/manifest.json`) || !existsSync(`${FIREFOX_DIST}/manifest.json`)) {
    missing.push('No build in dist/ (run: npm run build)');
  }
  return missing;
}
