import type { Translate } from './clear-summary';
import type { UnknownReason, Verdict } from './staleness';

const UNKNOWN_KEYS: Record<UnknownReason, string> = {
  unreachable: 'unknownUnreachable',
  'not-html': 'unknownNotHtml',
  redirect: 'unknownRedirect',
  'http-error': 'unknownHttpError',
  'no-code-urls': 'unknownNoCodeUrls',
  unversioned: 'unknownUnversioned',
  'no-permission': 'unknownNoPermission',
  unstable: 'unknownUnstable',
  'too-large': 'unknownTooLarge',
};

/** What changed, as far as it is known: "5.1.0 → 5.2.0", "the server now serves 5.2.0", "3 code files changed". */
export function describeStale(verdict: Extract<Verdict, { state: 'stale' }>, tr: Translate): string {
  if (verdict.from && verdict.to) return tr('staleChange', [verdict.from, verdict.to]);
  if (verdict.to) return tr('staleTo', verdict.to);
  return tr('staleFiles', String(Math.max(1, verdict.missing)));
}

/** The popup's status line for a verdict: a title and one sentence. */
export function verdictLine(verdict: Verdict, tr: Translate): { title: string; detail: string } {
  switch (verdict.state) {
    case 'fresh':
      return { title: tr('statusFresh'), detail: tr('statusFreshHint') };
    case 'stale':
      return { title: tr('statusStale'), detail: tr('statusStaleHint', describeStale(verdict, tr)) };
    case 'unknown':
      return { title: tr('statusUnknown'), detail: tr(UNKNOWN_KEYS[verdict.reason]) };
  }
}
