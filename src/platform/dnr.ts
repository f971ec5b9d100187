import type { DnrRule } from '../core/dnr-rules';
import { browser, type DeclarativeNetRequest } from './browser';

/**
 * Swaps the whole dynamic rule set in one call: no moment without rules, no id
 * collisions. One rejected rule rejects the whole update, so if a browser refuses
 * a regex rule (the hashed-asset shortcut is an optimisation), the set is
 * installed again without regex rules rather than leaving the old one.
 */
export async function replaceDynamicRules(rules: DnrRule[]): Promise<void> {
  const existing = await browser.declarativeNetRequest.getDynamicRules();
  const update = (addRules: DnrRule[]) =>
    browser.declarativeNetRequest.updateDynamicRules({
      removeRuleIds: existing.map((r) => r.id),
      addRules: addRules as unknown as DeclarativeNetRequest.Rule[],
    });
  try {
    await update(rules);
  } catch (e) {
    const plain = rules.filter((r) => !r.condition.regexFilter);
    if (plain.length === rules.length) throw e;
    console.warn('Stalebuster: regex rules refused, installing without them:', e);
    await update(plain);
  }
}

export async function getDynamicRules(): Promise<DeclarativeNetRequest.Rule[]> {
  return browser.declarativeNetRequest.getDynamicRules();
}
