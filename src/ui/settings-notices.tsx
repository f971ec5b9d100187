import { useState } from 'react';
import { formatBytes } from '../core/clear-summary';
import { Notice } from './components';
import { t } from './i18n';
import { useSettings } from './settings-store';
import { writeErrorText } from './write-error';


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
    <Notice kind={aside.dismissed ? 'info' : 'warn'} onDismiss={aside.dismissed ? undefined : () => void dismissAside()} dismissLabel={t('dismiss')}>
      {/* Once seen, the warning shrinks to a line; the copy stays until restored or deleted. */}
      <p className="flush">{aside.dismissed ? t('asideKept', aside.issue) : t(aside.kind === 'newer' ? 'asideNewer' : 'asideDamaged', aside.issue)}</p>
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
