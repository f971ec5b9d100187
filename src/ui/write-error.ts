import type { WriteError } from '../core/messages';
import { t } from './i18n';

const RULE_KINDS = { dynamic: 'ruleKindDynamic', unsafe: 'ruleKindUnsafe', regex: 'ruleKindRegex' } as const;

export function writeErrorText(error: WriteError): string {
  if (error.kind === 'storage') return t('writeErrorStorage', error.detail);
  if (error.kind === 'managed') return t('writeErrorManaged');
  return t('writeErrorLimit', [error.count.toLocaleString(), t(RULE_KINDS[error.limit]), error.max.toLocaleString()]);
}
