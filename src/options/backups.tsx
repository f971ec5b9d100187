import { useEffect, useId, useState } from 'react';
import { formatBytes } from '../core/clear-summary';
import { MB, UNDO_CAP_RANGE_MB, totalBytes, type SnapshotMeta } from '../core/undo-policy';
import { send } from '../platform/messaging';
import { local, onLocalChange } from '../platform/storage';
import { Notice } from '../ui/components';
import { t } from '../ui/i18n';
import { useEffective, useSettings } from '../ui/settings-store';

/** Undo's backups: how much they may take, what they take now, and a way to delete them all. */
export function Backups() {
  const { settings, edit } = useSettings();
  const { effective, locks } = useEffective();
  const [snapshots, setSnapshots] = useState<SnapshotMeta[]>([]);
  /** What the user is typing; null shows the stored value. */
  const [draft, setDraft] = useState<string | null>(null);
  const cap = draft ?? String(effective.undoCapMb);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const capId = useId();
  const hintId = useId();

  useEffect(() => {
    const read = () => void local.get('snapshots').then((all) => setSnapshots(Object.values(all ?? {}).filter((s) => s.expiresAt > Date.now())));
    read();
    return onLocalChange((changes) => {
      if (changes.snapshots) read();
    });
  }, []);

  const saveCap = async () => {
    const mb = Number(cap);
    if (!Number.isInteger(mb) || mb < UNDO_CAP_RANGE_MB.min || mb > UNDO_CAP_RANGE_MB.max) {
      setMessage({ kind: 'error', text: t('backupsCapRange', [String(UNDO_CAP_RANGE_MB.min), String(UNDO_CAP_RANGE_MB.max)]) });
      return;
    }
    setMessage(null);
    if (mb === settings.undoCapMb || (await edit({ op: 'undo-cap', mb }))) setDraft(null);
  };

  const deleteAll = async () => {
    await send('delete-backups', { all: true });
    setMessage({ kind: 'ok', text: t('backupsDeleted') });
  };

  return (
    <section aria-labelledby="backups-heading" className="card stack">
      <h2 id="backups-heading">{t('backupsHeading')}</h2>
      <p className="muted">{t('backupsHint')}</p>
      <div className="row">
        <label htmlFor={capId}>{t('backupsCapLabel')}</label>
        <input
          id={capId}
          type="number"
          inputMode="numeric"
          min={UNDO_CAP_RANGE_MB.min}
          max={UNDO_CAP_RANGE_MB.max}
          step={10}
          value={cap}
          aria-describedby={hintId}
          aria-invalid={message?.kind === 'error'}
          disabled={locks.undoCapMb}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={() => void saveCap()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void saveCap();
          }}
        />
        <span id={hintId} className="muted" data-testid="backups-usage">
          {t('backupsUsage', [String(snapshots.length), formatBytes(totalBytes(snapshots))])} / {formatBytes(effective.undoCapMb * MB)}
          {locks.undoCapMb && ` · ${t('managedByOrg')}`}
        </span>
      </div>
      <div className="row">
        <button type="button" className="danger" onClick={() => void deleteAll()} disabled={snapshots.length === 0}>
          {t('backupsDelete')}
        </button>
      </div>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
    </section>
  );
}
