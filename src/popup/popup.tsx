import { useEffect, useState } from 'react';
import { backupLine, failureMessage, formatBytes, pausedMessage, restrictedMessageKey, summariseReport, undoFailureMessage } from '../core/clear-summary';
import { describeFingerprint } from '../core/fingerprint';
import type { PopupState } from '../core/messages';
import type { CacheMode, SiteOptions } from '../core/settings';
import { verdictLine } from '../core/verdict-text';
import { requestHostAccess } from '../platform/permissions';
import { openOptionsPage, openShortcutSettings } from '../platform/commands';
import { shortTime, untilTime } from '../platform/i18n';
import { Notice, RadioGroup, Switch } from '../ui/components';
import { t } from '../ui/i18n';
import { writeErrorText } from '../ui/write-error';
import { PopupFrame, Placeholder } from './frame';
import { usePopup } from './popup-store';
import { send } from '../platform/messaging';

/** The popup: what state this tab is in and the one action that fits it, options below. */
export function Popup() {
  const { state, load } = usePopup();
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <PopupFrame
      busy={!state}
      headerEnd={
        state && (
          <button type="button" className="link" onClick={() => void openOptionsPage()}>
            {t('openSettings')}
          </button>
        )
      }
    >
      {state ? <Content state={state} /> : <Placeholder />}
    </PopupFrame>
  );
}

function Content({ state }: { state: PopupState }) {
  const { target } = state.status;
  return (
    <>
      {target.kind === 'restricted' ? (
        <>
          <div className="site-line" />
          <StatusCard tone="muted" title={t('statusCantAct')} detail={t(restrictedMessageKey(target.reason))} detailId="status-detail" />
          <div className="primary-slot">
            <button type="button" className="primary" disabled aria-describedby="status-detail">
              {t('clearAndReload')}
            </button>
          </div>
        </>
      ) : (
        <SitePanel state={state} origin={target.origin} />
      )}
      {state.settingsAside && (
        <Notice kind="warn">
          <button type="button" className="link" onClick={() => void openOptionsPage()}>{t('asidePopup')}</button>
        </Notice>
      )}
      <Footer />
    </>
  );
}

function StatusCard(props: { tone: string; title: string; detail: string; extra?: string; detailId?: string }) {
  return (
    <div className={`status-card status-${props.tone}`} role="status" data-testid="page-status">
      <strong className="status-title">{props.title}</strong>
      <span id={props.detailId} className="status-detail">{props.detail}</span>
      {props.extra && <span className="status-extra muted">{props.extra}</span>}
    </div>
  );
}

/** The one line that says which state the page is in, and what is known of the app. */
function SiteStatus({ state }: { state: PopupState }) {
  const { status } = state;
  const version = usePopup((s) => s.version);
  const app = appText(version);
  if (state.rulesError && status.intended) return <StatusCard tone="error" title={t('statusNotActive')} detail={t('rulesFailed', state.rulesError)} />;
  if (!status.intended) return <StatusCard tone="off" title={t('statusNotProtected')} detail={t('statusNotProtectedHint')} extra={app} />;
  if (!status.verdict) return <StatusCard tone="checking" title={t('statusChecking')} detail={t(status.enforcedMode === 'bypass' ? 'statusBypass' : 'statusProtected')} extra={app} />;
  const line = verdictLine(status.verdict, t);
  return <StatusCard tone={status.verdict.state} title={line.title} detail={line.detail} extra={app} />;
}

function appText(version: ReturnType<typeof usePopup.getState>['version']): string {
  if (version === null || version === 'checking') return '';
  if (!version.ok) return t(version.error === 'not-html' ? 'appNotHtml' : 'appUnreachable');
  const { app, version: v } = describeFingerprint(version.fingerprint);
  return app ? `${app} ${v}` : `${t('appUnknown')} · ${v}`;
}

function SitePanel({ state, origin }: { state: PopupState; origin: string }) {
  const { clearing, clear, confirm, lastResult, setSite, writeError } = usePopup();
  const offer = usePopup((s) => (s.offer?.origin === origin ? s.offer : null));
  const offerChecked = usePopup((s) => s.offerChecked);
  const [permissionError, setPermissionError] = useState<string | null>(null);
  const host = new URL(origin).host;
  const options = state.options!;
  const protect = async (on: boolean) => {
    setPermissionError(null);
    if (on && !state.status.granted) {
      // permissions.request must be the click's first call, or the gesture is lost. The background
      // protects the site when the grant arrives: this popup may be closed by then (Chromium closes it
      // as its permission dialog opens).
      const asked = requestHostAccess(origin);
      void send('protect-on-grant', { origin });
      if (!(await asked)) {
        void send('protect-on-grant', { origin, cancel: true });
        setPermissionError(t('permissionDenied', host));
        return;
      }
    }
    await setSite({ kind: 'protect', on });
  };

  const { appPath, appScoped, appCandidate } = state.status;
  // A page outside every app of an origin split into apps: protecting "the site" would mean nothing
  // there; the page's directory can become an app of its own (or, at the root, nothing can).
  // A paused or not-granted origin keeps "Protect this site" (which resumes it, or asks for access).
  const outsideApps = appScoped && !appPath && !state.status.intended && state.status.granted && options.protect;
  // An origin whose apps live under paths: no HTTP cache (the browser clears it only per origin), and what
  // the origin shares with its apps only when asked (core/clear-report planClear).
  const shared = !appScoped || options.clearShared;
  const clears = appScoped ? [t('storeCacheStorage'), t('storeServiceWorkers')] : [t('storeHttpCache'), t('storeCacheStorage'), t('storeServiceWorkers')];
  if (!options.keepSiteData && shared) clears.push(t('storeIndexedDB'), t('storeLocalStorage'));
  clears.push(t('storeSessionStorage'));
  if (options.includeCookies && shared) clears.push(t('storeCookies'));

  const primary = outsideApps ? (
    appCandidate ? (
      <button type="button" className="primary" onClick={() => void setSite({ kind: 'add-app', path: appCandidate })}>
        {t('protectApp', appCandidate)}
      </button>
    ) : null
  ) : !state.status.intended ? (
    <button type="button" className="primary" onClick={() => void protect(true)}>
      {offer ? t('offerProtect') : t('protectSite')}
    </button>
  ) : (
    <button type="button" className="primary" disabled={clearing} aria-describedby="clear-what" onClick={() => void clear()}>
      {clearing ? t('clearing') : t('clearAndReload')}
    </button>
  );

  return (
    <>
      <h2 className="site-line origin" data-offer={offer ? 'shown' : offerChecked ? 'none' : 'pending'}>{appPath ? host + appPath : host}</h2>
      {offer && !state.status.intended ? <StatusCard tone="offer" title={t('offerTitle', [offer.app, host])} detail={t('offerDetail')} /> : <SiteStatus state={state} />}
      {state.staleFrames.map((f) => (
        <p key={f.host} className="embedded-stale" role="status">
          {t('frameStale', [f.app ?? t('frameAppUnknown'), f.host])}
        </p>
      ))}
      <div className="primary-slot">{primary}</div>
      {confirm ? (
        <OverCap bytes={confirm.bytes} capBytes={confirm.capBytes} />
      ) : (
        <p id="clear-what" className="muted small flush">
          {state.status.intended
            ? t('willClear', clears.join(', '))
            : outsideApps
              ? t('outsideApps')
              : state.status.granted
                ? t('protectSiteHint')
                : t('protectAsksAccess', new URL(origin).hostname)}
        </p>
      )}
      {state.autoPaused && <PausedNotice origin={origin} paused={state.autoPaused} />}
      <UndoSlot state={state} />
      {lastResult && !lastResult.ok && <Notice kind="error">{failureMessage(lastResult, t)}</Notice>}
      {writeError && <Notice kind="error">{writeErrorText(writeError)}</Notice>}
      {permissionError && <Notice kind="error">{permissionError}</Notice>}
      <SiteOptionsPanel state={state} options={options} onProtect={protect} />
    </>
  );
}

/** Stalebuster stopped acting by itself here: why, and the way to let it again. */
function PausedNotice({ origin, paused }: { origin: string; paused: NonNullable<PopupState['autoPaused']> }) {
  const refresh = usePopup((s) => s.refresh);
  return (
    <div className="notice notice-warn stack tight" role="status" data-testid="auto-paused">
      <p className="flush">{pausedMessage(paused.reason, t)}{paused.sticky ? ` ${t('autoPausedSticky')}` : ''}</p>
      <div className="row">
        <button type="button" onClick={() => void send('resume-auto', { origin }).then(() => refresh())}>{t('resumeAutoFixes')}</button>
      </div>
    </div>
  );
}

/** The site's data is more than Undo keeps: nothing was cleared yet; the user decides. */
function OverCap({ bytes, capBytes }: { bytes: number; capBytes: number }) {
  const clear = usePopup((s) => s.clear);
  return (
    <div className="notice notice-warn stack tight" role="alert">
      <p className="flush">{t('errorNeedsConfirmation', [formatBytes(bytes), formatBytes(capBytes)])}</p>
      <div className="row">
        <button type="button" className="danger" onClick={() => void clear({ withoutUndo: true })}>{t('overCapClearAnyway')}</button>
        <button type="button" onClick={() => void clear({ keepSiteData: true })}>{t('overCapKeepData')}</button>
      </div>
    </div>
  );
}

/** What the last clear did, and Undo while a backup of the site exists. */
function UndoSlot({ state }: { state: PopupState }) {
  const { undo, undoing, undoResult } = usePopup();
  const { report, status } = state;
  const backup = state.undo;
  const origin = status.target.kind === 'site' ? status.target.origin : null;
  // The backup the report made is shown with Undo below, not twice.
  const reportLine = report && !(backup && report.undo?.id === backup.id) ? backupLine(report, t, untilTime) : null;
  // A site reached through activeTab alone: permissions.request must be the click's first await.
  const access = origin && !status.granted ? () => requestHostAccess(origin) : undefined;
  return (
    <div className="undo-slot stack tight">
      {report && (
        <p className="muted small flush" data-testid="last-clear">
          <strong>{t('lastClear', shortTime(report.at))}</strong> · {summariseReport(report, t)}
          {reportLine && <> · {reportLine}</>}
        </p>
      )}
      {backup && (
        <div className="row undo-row">
          <button type="button" aria-describedby="undo-hint" disabled={undoing} onClick={() => void undo(access)}>
            {undoing ? t('undoing') : t('undoButton')}
          </button>
          <span id="undo-hint" className="muted small undo-hint" data-testid="undo-hint">
            {t('undoHintOf', [shortTime(backup.takenAt ?? backup.until), formatBytes(backup.bytes), untilTime(backup.until)])}
          </span>
        </div>
      )}
      {undoResult && (undoResult.ok ? <Notice kind="ok">{t('undone', shortTime(undoResult.restoredAt))}</Notice> : <Notice kind="error">{undoFailureMessage(undoResult, t)}</Notice>)}
    </div>
  );
}

const OPEN_KEY = 'popup.optionsOpen';

function SiteOptionsPanel({ state, options, onProtect }: { state: PopupState; options: SiteOptions; onProtect: (on: boolean) => Promise<void> }) {
  const setSite = usePopup((s) => s.setSite);
  // The user's last choice, kept in the popup's own storage.
  const [open, setOpen] = useState(() => localStorage.getItem(OPEN_KEY) === '1');
  const set = (patch: Partial<SiteOptions>) => void setSite({ kind: 'options', patch });
  const { granted, appPath, appScoped } = state.status;
  const byPolicy = (key: keyof SiteOptions) => state.managed.options.includes(key);
  const hintFor = (key: keyof SiteOptions, hint: string) => (byPolicy(key) ? `${t('managedByOrg')}. ${hint}` : hint);
  return (
    <details
      open={open}
      onToggle={(e) => {
        const next = e.currentTarget.open;
        setOpen(next);
        localStorage.setItem(OPEN_KEY, next ? '1' : '0');
      }}
    >
      <summary>{t('siteOptions')}</summary>
      <div className="stack tight">
        <Switch
          label={t('protectSite')}
          hint={state.managed.locked ? t('managedSiteLocked') : state.managed.managed ? `${t('managedByOrg')}. ${t('protectSiteHint')}` : t('protectSiteHint')}
          checked={state.status.intended}
          disabled={state.managed.locked}
          onChange={(on) => void onProtect(on)}
        />
        <Switch
          label={t('autoClear')}
          hint={hintFor('autoClear', granted ? t('autoClearHint') : t('autoClearNeedsAccess'))}
          checked={options.autoClear}
          disabled={!granted || byPolicy('autoClear')}
          onChange={(on) => set({ autoClear: on })}
        />
        <Switch
          label={t('keepSiteData')}
          hint={hintFor('keepSiteData', t('keepSiteDataHint'))}
          checked={options.keepSiteData}
          disabled={byPolicy('keepSiteData')}
          onChange={(on) => set({ keepSiteData: on })}
        />
        {appScoped && (
          <Switch label={t('clearShared')} hint={t('clearSharedHint', appPath ?? '/')} checked={options.clearShared} onChange={(on) => set({ clearShared: on })} />
        )}
        <Switch label={t('includeCookies')} hint={t('includeCookiesHint')} checked={options.includeCookies} onChange={(on) => set({ includeCookies: on })} />
        <Switch label={t('autoClearSiteData')} hint={t('autoClearSiteDataHint')} checked={options.autoClearSiteData} onChange={(on) => set({ autoClearSiteData: on })} />
        <RadioGroup<CacheMode>
          legend={byPolicy('mode') ? `${t('modeLegend')} (${t('managedByOrg')})` : t('modeLegend')}
          name="mode"
          disabled={byPolicy('mode')}
          value={options.mode}
          onChange={(mode) => set({ mode })}
          options={[
            { value: 'revalidate', label: t('modeRevalidate'), hint: t('modeRevalidateHint') },
            { value: 'bypass', label: t('modeBypass'), hint: t('modeBypassHint') },
          ]}
        />
      </div>
    </details>
  );
}

function Footer() {
  const shortcut = usePopup((s) => s.shortcut);
  return (
    <footer className="row spread muted">
      <span>
        {t('shortcutLabel')} <kbd>{shortcut === null ? '…' : shortcut || t('shortcutUnset')}</kbd>
      </span>
      <button type="button" className="link" onClick={() => void openShortcutSettings()}>
        {t('changeShortcut')}
      </button>
    </footer>
  );
}
