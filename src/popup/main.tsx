import { hydrateRoot } from 'react-dom/client';
import { send } from '../platform/messaging';
import { openOptionsPage } from '../platform/commands';
import { ErrorBoundary } from '../ui/error-boundary';
import { localiseDocument, t } from '../ui/i18n';
import '../ui/styles.css';
import { Popup } from './popup';
import { usePopup } from './popup-store';

localiseDocument('popupTitle');

/** The error boundary's way out: forget what Stalebuster stored about this tab's site, then show the popup again. */
function ResetSiteData({ onDone }: { onDone: () => void }) {
  const target = usePopup((s) => s.state?.status.target);
  if (target?.kind !== 'site') return null;
  return (
    <button type="button" onClick={() => void send('forget-site', { origin: target.origin }).then(onDone)}>
      {t('errorBoundaryReset')}
    </button>
  );
}

// The frame in index.html was rendered at build time from the same components: hydrate it.
hydrateRoot(
  document.getElementById('root')!,
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
