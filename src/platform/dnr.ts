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

/**
 * Loads of `origin` in these tabs come back with `Content-Security-Policy:
 * default-src 'none'`: the page's own code does not run, so it holds no
 * IndexedDB connection open while Undo replaces its databases; the extension's
 * isolated-world scripts are not subject to the page's policy. Seen working in
 * Chromium 156 and Firefox ESR 153 (tabIds session rules, modifyHeaders).
 * Each pause has its own session rule (session rules are used for nothing
 * else), so two Undos of different sites never lift each other's pause.
 */
export async function pausePageScripts(ruleId: number, tabIds: number[], origin: string): Promise<void> {
  await browser.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [ruleId],
    addRules: [
      {
        id: ruleId,
        priority: 100,
        action: {
          type: 'modifyHeaders',
          responseHeaders: [
            // default-src, not only script-src: the paused load fetches no image, style or font either, so
            // pausing a 10 MB app costs one HTML request, not a second download of the app (npm run bench).
            { header: 'content-security-policy', operation: 'set', value: "default-src 'none'" },
            // Firefox's cache keeps rewritten headers: the paused document must not be kept, or its policy would outlive the pause.
            { header: 'cache-control', operation: 'set', value: 'no-store' },
          ],
        },
        condition: { urlFilter: `|${origin}/`, resourceTypes: ['main_frame'], tabIds },
      },
    ] as unknown as DeclarativeNetRequest.Rule[],
  });
}

export async function resumePageScripts(ruleId: number): Promise<void> {
  await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: [ruleId] });
}

/** Lifts every pause: at worker start no Undo is running, so any pause left is a dead worker's. */
export async function resumeAllPageScripts(): Promise<number> {
  const rules = await browser.declarativeNetRequest.getSessionRules();
  if (rules.length > 0) await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: rules.map((r) => r.id) });
  return rules.length;
}
