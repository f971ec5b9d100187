import { createRoot } from 'react-dom/client';
import { localiseDocument } from '../ui/i18n';
import { followStorage, useSettings } from '../ui/settings-store';
import '../ui/styles.css';
import { openOptionsPage } from '../platform/ui-surface';
import { ErrorBoundary } from '../ui/error-boundary';
import { t } from '../ui/i18n';
import { Popup, ResetSiteData } from './popup';

localiseDocument('popupTitle');
followStorage();
void useSettings.getState().load();
createRoot(document.getElementById('root')!).render(
  <ErrorBoundary
    actions={(retry) => (
      <>
        <ResetSiteData onDone={retry} />
        <button type="button" onClick={() => void openOptionsPage()}>{t('openSettings')}</button>
      </>
    )}
  >
    <Popup />
  </ErrorBoundary>,
);
