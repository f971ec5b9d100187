import { useState } from 'react';
import { formatBytes } from '../core/clear-summary';
import type { RuleLimits } from '../core/dnr-rules';
import { Notice } from './components';
import { t } from './i18n';
import { useSettings, type WriteError } from './settings-store';

const RULE_KINDS: Record<keyof RuleLimits, string> = { dynamic: 'ruleKindDynamic', unsafe: 'ruleKindUnsafe', regex: 'ruleKindRegex' };

export function writeErrorText(error: WriteError): string {
  return error.kind === 'storage'
    ? t('writeErrorStorage', error.detail)
    : t('writeErrorLimit', [error.count.toLocaleString(), t(RULE_KINDS[error.limit]), error.max.toLocaleString()]);
}

/** A change that was not saved, or rules the browser refused: said where the user changes settings. */
export function SettingsProblems() {
  const { writeError, rules } = useSettings();
  return (
    <>
      {rules && !rules.ok && <Notice kind="error">{t('rulesFailed', rules.error)}</Notice>}
      {writeError && <Notice kind="error">{writeErrorText(writeError)}</Notice>}
    </>
  );
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Settings this version could not read as they were: what happened, and the kept copy (restore, export, delete). */
export function AsideNotice() {
  const { aside, dismissAside, deleteAside, restoreAside } = useSettings();
  const [message, setMessage] = useState<string | null>(null);
  if (!aside) return message ? <Notice kind="ok">{message}</Notice> : null;
  const restore = async () => {
    const result = await restoreAside();
    setMessage(result.ok ? t('asideRestored') : t(result.reason === 'newer' ? 'asideNeedsNewer' : 'asideCannotRestore'));
  };
  const text = aside.raw === null ? '' : JSON.stringify(aside.raw, null, 2);
  return (
    <Notice kind="warn" onDismiss={aside.dismissed ? undefined : () => void dismissAside()} dismissLabel={t('dismiss')}>
      <p className="flush">{t(aside.kind === 'newer' ? 'asideNewer' : 'asideDamaged', aside.issue)}</p>
      {aside.raw === null ? (
        <p className="flush muted">{t('asideTooLarge')}</p>
      ) : (
        <div className="row">
          <button type="button" onClick={() => void restore()}>{t('asideRestore')}</button>
          <button type="button" onClick={() => download('stalebuster-settings-kept-aside.json', text + '\n')}>
            {t('asideExport')} ({formatBytes(text.length)})
          </button>
          <button type="button" className="danger" onClick={() => void deleteAside()}>{t('asideDelete')}</button>
        </div>
      )}
      {message && <p className="flush" role="status">{message}</p>}
    </Notice>
  );
}
