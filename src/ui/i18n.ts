import { t, uiLanguage } from '../platform/i18n';

export { t };

/** Sets <html lang> and the page title so screen readers use the right voice. */
export function localiseDocument(titleKey: string): void {
  document.documentElement.lang = uiLanguage();
  document.title = t(titleKey);
}
