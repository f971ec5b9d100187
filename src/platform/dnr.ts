import type { DnrRule } from '../core/dnr-rules';
import { browser, type DeclarativeNetRequest } from './browser';

/** Swaps the whole dynamic rule set in one call: no moment without rules, no id collisions. */
export async function replaceDynamicRules(rules: DnrRule[]): Promise<void> {
  const existing = await browser.declarativeNetRequest.getDynamicRules();
  await browser.declarativeNetRequest.updateDynamicRules({
    removeRuleIds: existing.map((r) => r.id),
    addRules: rules as unknown as DeclarativeNetRequest.Rule[],
  });
}

export async function getDynamicRules(): Promise<DeclarativeNetRequest.Rule[]> {
  return browser.declarativeNetRequest.getDynamicRules();
}
