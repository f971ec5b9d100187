import { EMPTY_POLICY, parsePolicy, type ManagedPolicy, type PolicyIssue } from '../core/managed';
import { browser } from './browser';

/**
 * The organisation's policy, from managed storage: Chrome fills it from its
 * policy files or registry (checked against storage.managed_schema), Firefox
 * from policies.json `3rdparty.Extensions` (unchecked). With no policy
 * Chromium answers {} and Firefox rejects ("Managed storage manifest not
 * found"): both mean "no policy".
 */
export async function readPolicy(): Promise<{ policy: ManagedPolicy; issues: PolicyIssue[] }> {
  try {
    return parsePolicy(await browser.storage.managed.get());
  } catch {
    return { policy: EMPTY_POLICY, issues: [] };
  }
}

/** Chromium re-reads its policy files while running (about every 5 s here); Firefox only at start-up. */
export function onPolicyChange(listener: () => void): void {
  browser.storage.onChanged.addListener((_, area) => {
    if (area === 'managed') listener();
  });
}
