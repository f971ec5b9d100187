/**
 * Background entry: a Chromium service worker, a Firefox event page. Every
 * listener is registered synchronously at top level so a worker woken by an
 * event finds its handler; all state lives in storage.
 */
import { loadSettings } from '../core/settings';
import { onAlarm, onBrowserStartup, onInstalled, repeatAlarm } from '../platform/lifecycle';
import { handleContentMessages, handleMessages } from '../platform/message-handlers';
import { onPolicyChange } from '../platform/managed';
import { onHostsGranted, onPermissionsChange } from '../platform/permissions';
import { migrateStoredItems, onLocalChange } from '../platform/storage';
import { activeTab } from '../platform/active-tab';
import { onTabActivated, onTabRemoved } from '../platform/tabs';
import { COMMAND_ID, CONTEXT_MENU_ID, createContextMenu, onMenuClick, onShortcut, openOptionsPage } from '../platform/commands';
import { t } from '../platform/i18n';
import { notify, onNotificationButton } from '../platform/notifications';
import { PERIODIC_ALARM, PERIODIC_MINUTES, autoClearSwitchedOn } from './auto-clear';
import { claimBusyNotice, clearAndReload, clearJournal, resumeInterruptedClears } from './clear-and-reload';
import { announce, forgetNotice, undoNotices } from './feedback';
import { uiHandlers } from './handlers';
import { completePendingGrants } from './pending-grants';
import { ensureSettings, syncRules } from './rules-sync';
import { resumeTrailingChecks, setTrailingHandler } from './server-checks';
import { forgetTab, onFrameReport, onNoticeClear, onPageReport, onPageSignal, onTrailingCheck, periodicCheck, rejudgeOrigins, revisitTab } from './stale-detector';
import { liftStalePauses } from './site-pause';
import { pruneBackups } from './backups';
import { undo } from './undo';
import { listenForUndoPorts } from '../platform/undo-ports';
import { undoFailureMessage } from '../core/clear-summary';
import { guarded, runLogged, startWorker, whenStarted } from './guarded';

/** Each step on its own: a failed menu must not leave the rules unset, or the reverse. */
async function setUp(): Promise<void> {
  const steps = [
    () => ensureSettings().then(() => syncRules()),
    () => createContextMenu(t('menuClearAndReload')),
    () => repeatAlarm(PERIODIC_ALARM, PERIODIC_MINUTES),
  ];
  for (const result of await Promise.allSettled(steps.map((step) => step()))) {
    if (result.status === 'rejected') console.error('Stalebuster set-up step failed:', result.reason);
  }
}

onInstalled(guarded('install', async ({ reason }: { reason: string }) => {
  await setUp();
  // First run: show which local apps are protected and what the shortcut is.
  if (reason === 'install') await openOptionsPage();
}));
onBrowserStartup(guarded('start-up', setUp));

onLocalChange(guarded('settings change', (changes: Parameters<Parameters<typeof onLocalChange>[0]>[0]) => {
  const change = changes.settings;
  if (!change) return;
  const before = loadSettings(change.oldValue).settings;
  const after = loadSettings(change.newValue);
  if (after.status === 'salvaged') {
    // Something wrote what this version cannot read (a newer build, a hand edit): keep it aside and repair, which fires this again.
    runLogged('settings repair', ensureSettings);
    return;
  }
  runLogged('rules', syncRules);
  // A page already running old code is fixed as soon as its site gets auto-clear.
  runLogged('auto-clear switched on', () => rejudgeOrigins((_, origin) => autoClearSwitchedOn(before, after.settings, origin)));
}));
onPermissionsChange(guarded('permissions change', syncRules));
// A "Protect it" click whose popup closed while the browser asked (background/pending-grants).
onHostsGranted(guarded('hosts granted', completePendingGrants));
// The organisation's policy changed (Chromium re-reads its policy files while running).
onPolicyChange(guarded('policy change', syncRules));

async function clearFromShortcutOrMenu(tabId: number | undefined, trigger: 'shortcut' | 'menu'): Promise<void> {
  const id = tabId ?? (await activeTab())?.id;
  if (id === undefined) return;
  const result = await clearAndReload(id, trigger);
  // A held key: the first swallowed press says "already clearing", the rest are silent.
  if (!result.ok && result.error === 'busy' && !(await claimBusyNotice(id))) return;
  await announce(id, result);
}

onShortcut(guarded('shortcut', async (command: string, tab?: { id?: number }) => {
  if (command === COMMAND_ID) await clearFromShortcutOrMenu(tab?.id, 'shortcut');
}));
onMenuClick(guarded('menu', async (info: { menuItemId: string | number }, tab?: { id?: number }) => {
  if (info.menuItemId === CONTEXT_MENU_ID) await clearFromShortcutOrMenu(tab?.id, 'menu');
}));

handleMessages(uiHandlers, whenStarted);
listenForUndoPorts();
onNotificationButton(guarded('notification Undo', undoFromNotification));
handleContentMessages({ 'page-report': onPageReport, 'frame-report': onFrameReport, 'page-signal': onPageSignal, 'notice-clear': onNoticeClear }, whenStarted);
setTrailingHandler(onTrailingCheck);

onTabActivated(guarded('tab activated', ({ tabId }: { tabId: number }) => revisitTab(tabId)));
onTabRemoved(guarded('tab closed', (tabId: number) => Promise.all([forgetTab(tabId), clearJournal.remove(tabId), forgetNotice(tabId)])));
onAlarm(guarded('alarm', async (alarm: { name: string }) => {
  if (alarm.name !== PERIODIC_ALARM) return;
  runLogged('periodic check', periodicCheck);
  // Backups past 24 hours, and what a worker that died mid-backup left, go even if no clear comes along.
  await pruneBackups();
}));

/** The Undo button of a shortcut or menu clear's notification (Chromium). */
async function undoFromNotification(notificationId: string): Promise<void> {
  const notice = await undoNotices.get(notificationId);
  if (!notice) return;
  await undoNotices.remove(notificationId);
  const result = await undo(notice.snapshotId, notice.tabId);
  await notify(notificationId, result.ok ? t('undoneTitle', new URL(result.origin).host) : t('undoFailedTitle'), result.ok ? t('undoneBody', String(result.records)) : undoFailureMessage(result, t));
}

// Before any event is handled: stored items are stored upgraded to their declared versions (core/stored-items;
// reads upgrade what they read anyway, so a failed migration loses nothing); and a script pause a dead worker
// left is lifted, so no tab stays paused and no new pause is taken for a stale one. Each runs whatever the
// other did. Resuming its clears and checks is work like any other, after that.
startWorker(async () => {
  const steps = await Promise.allSettled([migrateStoredItems(), liftStalePauses()]);
  const failed = steps.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
  if (failed.length > 0) throw new AggregateError(failed, 'the worker start did not finish');
});
runLogged('resuming clears', async () => {
  await whenStarted();
  await resumeInterruptedClears();
});
runLogged('resuming trailing checks', async () => {
  await whenStarted();
  await resumeTrailingChecks();
});
