import { useEffect, useState } from 'react';
import type { ClearReport } from '../core/clear-report';
import { failureMessage, restrictedMessageKey, summariseReport } from '../core/clear-summary';
import { isProtected } from '../core/dnr-rules';
import { describeFingerprint } from '../core/fingerprint';
import { verdictLine } from '../core/verdict-text';
import { setProtected } from '../core/protection';
import { siteOptions, withSiteOptions, type CacheMode, type SiteOptions } from '../core/settings';
import { requestHostAccess } from '../platform/permissions';
import { forgetSite, local } from '../platform/storage';
import { boundShortcut, openOptionsPage, openShortcutSettings } from '../platform/ui-surface';
import { RadioGroup, Switch, Notice } from '../ui/components';
import { t } from '../ui/i18n';
import { useSettings } from '../ui/settings-store';
import { SettingsProblems } from '../ui/settings-notices';
import { useTab } from './tab-store';

export function Popup() {
  const { status, clearing, lastResult, load } = useTab();
  const [shortcut, setShortcut] = useState<string | null>(null);

  useEffect(() => {
    void load();
    void boundShortcut().then(setShortcut);
  }, [load]);

  return (
    <main className="stack">
      <header className="row spread">
        <h1>{t('extName')}</h1>
        <button type="button" className="link" onClick={() => void openOptionsPage()}>
          {t('openSettings')}
        </button>
      </header>
      {!status ? <p aria-busy="true">{t('loading')}</p> : status.target.kind === 'restricted' ? (
        <>
          <button type="button" className="primary" disabled aria-describedby="restricted-reason">
            {t('clearAndReload')}
          </button>
          <p id="restricted-reason" className="muted">{t(restrictedMessageKey(status.target.reason))}</p>
        </>
      ) : (
        <SitePanel origin={status.target.origin} granted={status.granted} />
      )}
      {lastResult && !lastResult.ok && <Notice kind="error">{failureMessage(lastResult, t)}</Notice>}
      <AsideLine />
      {clearing && <p role="status">{t('clearing')}</p>}
      <footer className="row spread muted">
        <span>
          {t('shortcutLabel')} <kbd>{shortcut || t('shortcutUnset')}</kbd>
        </span>
        <button type="button" className="link" onClick={() => void openShortcutSettings()}>
          {t('changeShortcut')}
        </button>
      </footer>
    </main>
  );
}

function SitePanel({ origin, granted }: { origin: string; granted: boolean }) {
  const { settings, update } = useSettings();
  const { version, clearing, clear, lastResult, refresh } = useTab();
  const [report, setReport] = useState<ClearReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const status = useTab((s) => s.status);
  const opts = siteOptions(settings, origin);
  // What the browser enforces; the switch shows what was asked for.
  const protectedNow = status?.protected ?? false;
  const intended = isProtected(settings, origin, new Set(granted ? [origin] : []));
  const host = new URL(origin).host;

  useEffect(() => {
    void local.get('reports').then((r) => setReport(r?.[origin] ?? null));
  }, [origin, lastResult]);

  const setOption = (patch: Partial<SiteOptions>) => void update((s) => withSiteOptions(s, origin, patch));

  const toggleProtect = async (on: boolean) => {
    setError(null);
    // permissions.request must be the first await of the click, or the gesture is lost.
    if (on && !granted && !(await requestHostAccess(origin))) {
      setError(t('permissionDenied', host));
      return;
    }
    if (await update((s) => setProtected(s, origin, on))) await refresh({ until: (st) => st.protected === on });
  };

  const clears = [t('storeHttpCache'), t('storeCacheStorage'), t('storeServiceWorkers')];
  if (!opts.keepSiteData) clears.push(t('storeIndexedDB'), t('storeLocalStorage'));
  clears.push(t('storeSessionStorage'));
  if (opts.includeCookies) clears.push(t('storeCookies'));

  return (
    <>
      <section aria-labelledby="site-heading" className="stack tight">
        <h2 id="site-heading" className="origin">{host}</h2>
        <StatusLine protectedNow={protectedNow} />
        <p className="muted" aria-live="polite">
          <AppLine version={version} />
          {' · '}
          {protectedNow ? t(status?.enforcedMode === 'bypass' ? 'statusBypass' : 'statusProtected') : t(intended ? 'statusNotActive' : 'statusNotProtected')}
        </p>
      </section>
      <button type="button" className="primary" disabled={clearing} aria-describedby="clear-what" onClick={() => void clear()}>
        {clearing ? t('clearing') : t('clearAndReload')}
      </button>
      <p id="clear-what" className="muted small">{t('willClear', clears.join(', '))}</p>
      {report && (
        <Notice kind="ok">
          <strong>{t('lastClear', new Date(report.at).toLocaleTimeString())}</strong>
          <br />
          {summariseReport(report, t)}
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      <SettingsProblems />
      <Switch label={t('protectSite')} hint={t('protectSiteHint')} checked={intended} onChange={(on) => void toggleProtect(on)} />
      <Switch
        label={t('autoClear')}
        hint={granted ? t('autoClearHint') : t('autoClearNeedsAccess')}
        checked={opts.autoClear}
        disabled={!granted}
        onChange={(on) => setOption({ autoClear: on })}
      />
      <details>
        <summary>{t('siteOptions')}</summary>
        <div className="stack tight">
          <Switch label={t('keepSiteData')} hint={t('keepSiteDataHint')} checked={opts.keepSiteData} onChange={(on) => setOption({ keepSiteData: on })} />
          <Switch label={t('includeCookies')} hint={t('includeCookiesHint')} checked={opts.includeCookies} onChange={(on) => setOption({ includeCookies: on })} />
          <Switch label={t('autoClearSiteData')} hint={t('autoClearSiteDataHint')} checked={opts.autoClearSiteData} onChange={(on) => setOption({ autoClearSiteData: on })} />
          <RadioGroup<CacheMode>
            legend={t('modeLegend')}
            name="mode"
            value={opts.mode}
            onChange={(mode) => setOption({ mode })}
            options={[
              { value: 'revalidate', label: t('modeRevalidate'), hint: t('modeRevalidateHint') },
              { value: 'bypass', label: t('modeBypass'), hint: t('modeBypassHint') },
            ]}
          />
        </div>
      </details>
    </>
  );
}

/** Settings kept aside (a rollback, damage): the popup points to where they can be restored. */
function AsideLine() {
  const aside = useSettings((s) => s.aside);
  if (!aside || aside.dismissed) return null;
  return (
    <Notice kind="warn">
      <button type="button" className="link" onClick={() => void openOptionsPage()}>{t('asidePopup')}</button>
    </Notice>
  );
}

/** Whether the page runs the code the server serves now, as the detector judged it. */
function StatusLine({ protectedNow }: { protectedNow: boolean }) {
  const verdict = useTab((s) => s.status?.verdict ?? null);
  if (!protectedNow) return null;
  const line = verdict ? verdictLine(verdict, t) : { title: t('statusChecking'), detail: '' };
  return (
    <p className={`status status-${verdict?.state ?? 'checking'}`} role="status" data-testid="page-status">
      <strong>{line.title}</strong>
      {line.detail && <> · {line.detail}</>}
    </p>
  );
}

function AppLine({ version }: { version: ReturnType<typeof useTab.getState>['version'] }) {
  if (version === null) return <span>{t('appUnknown')}</span>;
  if (version === 'checking') return <span>{t('appChecking')}</span>;
  if (!version.ok) return <span>{t(version.error === 'not-html' ? 'appNotHtml' : 'appUnreachable')}</span>;
  const { app, version: v } = describeFingerprint(version.fingerprint);
  return <span data-testid="app-version">{app ? `${app} ${v}` : `${t('appUnknown')} · ${v}`}</span>;
}

/** The error boundary's way out: forget what Stalebuster stored about this tab's site (its last report and version), then show the popup again. */
export function ResetSiteData({ onDone }: { onDone: () => void }) {
  const origin = useTab((s) => (s.status?.target.kind === 'site' ? s.status.target.origin : null));
  if (!origin) return null;
  return (
    <button type="button" onClick={() => void forgetSite(origin).then(onDone)}>
      {t('errorBoundaryReset')}
    </button>
  );
}
