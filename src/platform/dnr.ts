import type { DnrRule, RuleLimits } from '../core/dnr-rules';
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

export async function getDynamicRules(): Promise<DnrRule[]> {
  return (await browser.declarativeNetRequest.getDynamicRules()) as unknown as DnrRule[];
}

/**
 * The browser's own limits. Chromium 156: 30,000 dynamic, of which 5,000
 * "unsafe" (modifyHeaders), 1,000 regex; Firefox ESR 153: 5,000 dynamic, no
 * unsafe cap. The fallbacks are the lowest of those, for a browser that does not
 * publish its numbers.
 */
export function ruleLimits(): RuleLimits {
  const dnr = browser.declarativeNetRequest as unknown as Record<string, number | undefined>;
  const dynamic = dnr.MAX_NUMBER_OF_DYNAMIC_RULES ?? dnr.MAX_NUMBER_OF_DYNAMIC_AND_SESSION_RULES ?? 5000;
  return { dynamic, unsafe: dnr.MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES ?? dynamic, regex: dnr.MAX_NUMBER_OF_REGEX_RULES ?? 1000 };
}
