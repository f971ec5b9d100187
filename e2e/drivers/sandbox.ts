/**
 * The sandbox the end-to-end tests and the benchmarks run in (see e2e/run.ts):
 * a private network namespace (a loopback of their own, so the ports real AI
 * tools use are free and no test traffic leaves the machine) and a private
 * mount namespace with /etc overlaid (policy files written there are seen by
 * the browsers under test and by nothing else on the machine).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SANDBOX_ENV = 'STALEBUSTER_SANDBOX';

export function sandboxed(): boolean {
  return process.env[SANDBOX_ENV] === '1';
}

/** Refuses, with the reason, to do `what` outside the sandbox. */
export function assertSandboxed(what: string): void {
  if (!sandboxed()) {
    throw new Error(`${what} only happens inside the test sandbox, never on this machine's own configuration: run the suite with \`npm run test:e2e\`.`);
  }
}

/**
 * Runs `command` inside new network and mount namespaces, or explains why it
 * cannot (returns null then). Root makes them directly; anyone else through a
 * user namespace, where the kernel allows unprivileged ones.
 */
export function runSandboxed(command: string[], cwd: string): number | null {
  const scratch = mkdtempSync(join(tmpdir(), 'stalebuster-sandbox-'));
  const setUp = [
    'set -e',
    // ip and mount live in /usr/sbin, which a non-login PATH may lack.
    'PATH="$PATH:/usr/sbin:/sbin"',
    'ip link set lo up',
    `mount -t tmpfs tmpfs "${scratch}"`,
    `mkdir "${scratch}/upper" "${scratch}/work"`,
    `mount -t overlay overlay -o "lowerdir=/etc,upperdir=${scratch}/upper,workdir=${scratch}/work" /etc`,
    'exec "$@"',
  ].join('\n');
  const asRoot = process.getuid?.() === 0;
  const unshare = [...(asRoot ? [] : ['--map-root-user']), '--mount', '--net', '--propagation', 'private', 'sh', '-c', setUp, 'sh'];
  try {
    const probe = spawnSync('unshare', [...unshare, 'true'], { stdio: 'pipe' });
    if (probe.status !== 0) {
      console.error(
        'This needs a private network and mount namespace (a loopback of its own, and a private /etc for the policy\n' +
          'tests), and making one failed:\n  ' +
          (probe.stderr?.toString().trim() || probe.error?.message || `exit ${probe.status}`) +
          '\nRun it as root (e.g. sudo npm test), or allow unprivileged user namespaces\n' +
          '(sudo sysctl -w kernel.unprivileged_userns_clone=1), with `unshare` (util-linux) and `ip` (iproute2) installed.',
      );
      return null;
    }
    return spawnSync('unshare', [...unshare, ...command], { cwd, stdio: 'inherit', env: { ...process.env, [SANDBOX_ENV]: '1' } }).status ?? 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
