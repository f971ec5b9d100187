/**
 * `npm run bench`: every number in the README's tables, measured in one run on
 * this machine, as ratios against the browser's own behaviour. Not a test: it
 * asserts nothing, it reports.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { ROOT } from '../e2e/drivers/paths';
import { runSandboxed, sandboxed } from '../e2e/drivers/sandbox';
import { benchClear } from './bench/clear';
import { benchDetector } from './bench/detector';
import { benchHardening } from './bench/hardening';
import { benchHostileHtml } from './bench/hostile-html';
import { benchFreshness } from './bench/freshness';
import { benchUi } from './bench/ui';

// The benchmarks' apps listen on the ports real tools use: on a loopback of their own (see e2e/drivers/sandbox).
if (!sandboxed()) process.exit(runSandboxed(['npx', 'tsx', 'scripts/bench.ts', ...process.argv.slice(2)], ROOT) ?? 1);

const sections: [string, () => Promise<string>][] = [
  ['Freshness rules', benchFreshness],
  ['Clear & reload', benchClear],
  ['Stale detector', benchDetector],
  ['Hostile pages', benchHardening],
  ['Hostile HTML', benchHostileHtml],
  ['Popup and bundles', benchUi],
];
const only = process.argv[2];
const out: string[] = [
  `# Benchmarks`,
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
];
for (const [title, run] of sections) {
  if (only && !title.toLowerCase().includes(only.toLowerCase())) continue;
  console.error(`… ${title}`);
  const text = await run();
  out.push('', `## ${title}`, '', text);
  console.log(`\n## ${title}\n\n${text}`);
}
if (!only) writeFileSync('docs/benchmarks.md', out.join('\n') + '\n');
