/** The toolbar button: its badge and title, per tab or for every tab. */
import { browser } from './browser';
import { t } from './i18n';

/** A tab's badge and, if given, its title. */
export async function setTabBadge(tabId: number, text: string, color: string, title?: string): Promise<void> {
  try {
    await browser.action.setBadgeBackgroundColor({ tabId, color });
    await browser.action.setBadgeText({ tabId, text });
    if (title !== undefined) await browser.action.setTitle({ tabId, title });
  } catch {
    // The tab closed meanwhile.
  }
}

/** Back to the extension's own badge and title for this tab. */
export async function clearTabBadge(tabId: number): Promise<void> {
  try {
    await browser.action.setBadgeText({ tabId, text: '' });
    await browser.action.setTitle({ tabId, title: t('actionTitle') });
  } catch {
    // The tab closed meanwhile.
  }
}

/** The toolbar button says, on every tab, that protection is not in force (null: it is again). */
export async function showRulesFailure(error: string | null): Promise<void> {
  try {
    if (error === null) {
      await browser.action.setBadgeText({ text: '' });
      await browser.action.setTitle({ title: t('actionTitle') });
    } else {
      await browser.action.setBadgeBackgroundColor({ color: '#c4271c' });
      await browser.action.setBadgeText({ text: '!' });
      await browser.action.setTitle({ title: t('rulesFailedTitle', error) });
    }
  } catch {
    // No toolbar button to update (never expected); the popup and options still say it.
  }
}
