import { useRef, useState, type ChangeEvent } from 'react';
import { formatBytes } from '../core/clear-summary';
import { MAX_IMPORT_BYTES, exportSettings, parseImport, type ImportResult } from '../core/import-export';
import { KNOWN_TOOLS } from '../core/known-tools';
import { defaultSettings, type CacheMode } from '../core/settings';
import { Notice, RadioGroup, Switch } from '../ui/components';
import { t } from '../ui/i18n';
import { useEffective, useSettings } from '../ui/settings-store';
import { AsideNotice, SettingsProblems } from '../ui/settings-notices';
import { Backups } from './backups';
import { FoundList } from './found-list';
import { ManagedList, PolicyNotice } from './managed-list';
import { OriginList } from './origin-list';

const LIMIT_NAMES = { sites: 'limitSites', customOrigins: 'limitCustomOrigins', foundOrigins: 'limitFoundOrigins', dismissedOrigins: 'limitDismissedOrigins' } as const;

function importErrorText(result: Exclude<ImportResult, { ok: true }>): string {
  switch (result.error) {
    case 'too-large':
      return t('importTooLarge', formatBytes(result.bytes));
    case 'too-many':
      return t('importTooMany', [result.count.toLocaleString(), t(LIMIT_NAMES[result.what]), result.limit.toLocaleString()]);
    case 'not-json':
      return t('importNotJson', result.detail);
    case 'invalid':
      return t('importInvalid', result.detail);
  }
}

/** A hint that says the organisation set it, or the usual hint. */
const hintFor = (locked: boolean, hint: string) => (locked ? `${t('managedByOrg')}. ${hint}` : hint);

export function Options() {
  const { settings, loaded, edit } = useSettings();
  const { effective, locks } = useEffective();
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const onImport = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = '';
    if (!file) return;
    // A file far larger than any settings is refused by its size, before it is read.
    const result = file.size > MAX_IMPORT_BYTES ? ({ ok: false, error: 'too-large', bytes: file.size } as const) : parseImport(await file.text());
    if (!result.ok) {
      setMessage({ kind: 'error', text: importErrorText(result) });
      return;
    }
    if (await edit({ op: 'replace', settings: result.settings })) setMessage({ kind: 'ok', text: t('importDone') });
    else setMessage(null); // the reason is shown with the other settings problems
  };

  const onExport = () => {
    const url = URL.createObjectURL(new Blob([exportSettings(settings)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'stalebuster-settings.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const onRestore = async () => {
    if (!window.confirm(t('restoreConfirm'))) return;
    if (await edit({ op: 'replace', settings: defaultSettings() })) setMessage({ kind: 'ok', text: t('restoreDone') });
  };

  return (
    <main className="stack" aria-busy={!loaded}>
      <h1>{t('optionsTitle')}</h1>
      <AsideNotice />
      <PolicyNotice />
      <SettingsProblems />
      <section aria-labelledby="loopback-heading" className="card stack">
        <h2 id="loopback-heading">{t('loopbackHeading')}</h2>
        <Switch
          label={t('protectKnownPorts')}
          hint={KNOWN_TOOLS.map((tool) => `${tool.name} ${tool.ports.length > 1 ? `${tool.ports[0]}–${tool.ports.at(-1)}` : tool.ports[0]}`).join(', ')}
          checked={settings.protectKnownPorts}
          onChange={(on) => void edit({ op: 'flag', key: 'protectKnownPorts', value: on })}
        />
        <Switch
          label={t('allLoopbackPorts')}
          hint={hintFor(locks.allLoopbackPorts, t('allLoopbackPortsHint'))}
          checked={effective.allLoopbackPorts}
          disabled={locks.allLoopbackPorts}
          onChange={(on) => void edit({ op: 'flag', key: 'allLoopbackPorts', value: on })}
        />
        <FoundList />
      </section>
      <ManagedList />
      <OriginList />
      <section aria-labelledby="defaults-heading" className="card stack">
        <h2 id="defaults-heading">{t('defaultsHeading')}</h2>
        {locks.defaultMode && <p className="muted small flush">{t('modeLegend')}: {t('managedByOrg')}</p>}
        <RadioGroup<CacheMode>
          legend={t('modeLegend')}
          name="default-mode"
          value={effective.defaults.mode}
          disabled={locks.defaultMode}
          onChange={(mode) => void edit({ op: 'defaults', patch: { mode } })}
          options={[
            { value: 'revalidate', label: t('modeRevalidate'), hint: t('modeRevalidateHint') },
            { value: 'bypass', label: t('modeBypass'), hint: t('modeBypassHint') },
          ]}
        />
        <Switch
          label={t('autoClearDefault')}
          hint={hintFor(locks.autoClearDefault, t('autoClearHint'))}
          checked={effective.defaults.autoClear}
          disabled={locks.autoClearDefault}
          onChange={(autoClear) => void edit({ op: 'defaults', patch: { autoClear } })}
        />
        <Switch
          label={t('keepSiteDataDefault')}
          hint={hintFor(locks.keepSiteDataDefault, t('keepSiteDataHint'))}
          checked={effective.defaults.keepSiteData}
          disabled={locks.keepSiteDataDefault}
          onChange={(keepSiteData) => void edit({ op: 'defaults', patch: { keepSiteData } })}
        />
      </section>
      <Backups />
      <section aria-labelledby="backup-heading" className="card stack">
        <h2 id="backup-heading">{t('backupHeading')}</h2>
        <div className="row">
          <button type="button" onClick={onExport}>{t('exportSettings')}</button>
          <button type="button" onClick={() => fileInput.current?.click()}>{t('importSettings')}</button>
          <input ref={fileInput} type="file" accept="application/json,.json" aria-label={t('importSettings')} className="sr-only" onChange={(e) => void onImport(e)} />
          <button type="button" className="danger" onClick={() => void onRestore()}>{t('restoreDefaults')}</button>
        </div>
        {message && <Notice kind={message.kind}>{message.text}</Notice>}
      </section>
    </main>
  );
}
