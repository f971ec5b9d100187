/**
 * Runs the end-to-end suite in real Chromium and real Firefox ESR under a virtual
 * display (real key presses need headful windows). A missing browser is a
 * failure with instructions, never a silent skip.
 */
import { spawnSync } from 'node:child_process';
import { missingPrerequisites, ROOT } from './drivers/paths';

const missing = missingPrerequisites();
if (missing.length > 0) {
  console.error('End-to-end tests cannot run; missing:\n' + missing.map((m) => `  - ${m}`).join('\n'));
  console.error('On Debian/Ubuntu: sudo apt-get install -y chromium firefox-esr xvfb xdotool');
  process.exit(1);
}

const vitest = ['npx', 'vitest', 'run', '-c', 'vitest.e2e.config.ts', ...process.argv.slice(2)];
const command = process.env.DISPLAY ? vitest : ['xvfb-run', '--auto-servernum', '--server-args=-screen 0 1280x1024x24', ...vitest];
const result = spawnSync(command[0]!, command.slice(1), { cwd: ROOT, stdio: 'inherit' });
process.exit(result.status ?? 1);
