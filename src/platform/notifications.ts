/** System notifications: what a clear or an automatic fix did, with Undo where the browser has buttons. */
import { browser } from './browser';

/** `buttons` only where the browser has them (see compat.notificationButtons). */
export async function notify(id: string, title: string, message: string, buttons: string[] = []): Promise<void> {
  const options = {
    type: 'basic',
    iconUrl: browser.runtime.getURL('icons/icon-128.png'),
    title,
    message,
    ...(buttons.length > 0 ? { buttons: buttons.map((b) => ({ title: b })) } : {}),
  };
  try {
    await browser.notifications.create(id, options as never);
  } catch {
    // Notifications can be disabled system-wide; the badge still tells the user.
  }
}

export function onNotificationButton(listener: (notificationId: string, index: number) => void): void {
  // Firefox has no notification buttons (and no such event): guarded by capability.
  (browser.notifications as { onButtonClicked?: { addListener(l: (id: string, i: number) => void): void } }).onButtonClicked?.addListener(listener);
}
