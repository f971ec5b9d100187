/**
 * Runs the end-to-end suite in real Chromium and real Firefox ESR under a virtual
 * display (real key presses need headful windows), inside the test sandbox
 * (drivers/sandbox): the test apps listen on the ports real tools use (7860,
 * 8501, …) on a loopback of their own, so the suite passes while the user's
 * Gradio or Streamlit holds those ports; the policy tests write real policy files
 * into a private /etc. A missing browser, or no sandbox, is a failure with
 * instructions, never a silent skip.
 */
import { missingPrerequisites, ROOT } from './drivers/paths';
import { runSandboxed } from './drivers/sandbox';

const missing = missingPrerequisites();
if (missing.length > 0) {
  console.error('End-to-end tests cannot run; missing:\n' + missing.map((m) => `  - ${m}`).join('\n'));
  console.error('On Debian/Ubuntu: sudo apt-get install -y chromium firefox-esr xvfb xdotool scrot iproute2');
  process.exit(1);
}

// Inside a new network namespace the host's X server is out of reach through its abstract socket: always a virtual one.
const command = ['xvfb-run', '--auto-servernum', '--server-args=-screen 0 1280x1024x24', 'npx', 'vitest', 'run', '-c', 'vitest.e2e.config.ts', ...process.argv.slice(2)];
process.exit(runSandboxed(command, ROOT) ?? 1);
