import { existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CHROME_ID, GECKO_ID } from '../../manifest.config.ts';
import { assertSandboxed } from './sandbox';

/**
 * Real enterprise policy files, as an administrator deploys them: Chromium reads
 * /etc/chromium/policies/managed/*.json (and re-reads it while running); Debian's
 * Firefox ESR reads /etc/firefox/policies/policies.json at start-up. Written only
 * inside the test sandbox, whose /etc is a private overlay (drivers/sandbox): the
 * machine's own browsers never see them. A test writes one before launching and
 * removes it after.
 */
const POLICY_FILES = {
  chromium: '/etc/chromium/policies/managed/stalebuster-e2e.json',
  firefox: '/etc/firefox/policies/policies.json',
} as const;

export type PolicyBrowser = keyof typeof POLICY_FILES;

export interface WrittenPolicy {
  remove(): void;
}

export function writePolicy(browser: PolicyBrowser, values: Record<string, unknown>): WrittenPolicy {
  const file = POLICY_FILES[browser];
  assertSandboxed(`Writing ${file}`);
  const body =
    browser === 'chromium'
      ? { '3rdparty': { extensions: { [CHROME_ID]: values } } }
      : { policies: { '3rdparty': { Extensions: { [GECKO_ID]: values } } } };
  const before = existsSync(file) ? readFileSync(file) : null;
  const created: string[] = [];
  for (let dir = dirname(file); !existsSync(dir); dir = dirname(dir)) created.unshift(dir);
  try {
    for (const dir of created) mkdirSync(dir);
    writeFileSync(file, JSON.stringify(body, null, 2));
  } catch (e) {
    throw new Error(`The policy tests write ${file} in the sandbox's private /etc, and could not (${String(e)}).`, { cause: e });
  }
  let removed = false;
  return {
    remove() {
      if (removed) return;
      removed = true;
      if (before) writeFileSync(file, before);
      else rmSync(file, { force: true });
      for (const dir of [...created].reverse()) rmdirSync(dir);
    },
  };
}
