import { createRoot } from 'react-dom/client';
import { localiseDocument } from '../ui/i18n';
import { followStorage, useSettings } from '../ui/settings-store';
import '../ui/styles.css';
import { ErrorBoundary } from '../ui/error-boundary';
import { Options } from './options';

localiseDocument('optionsTitle');
followStorage();
void useSettings.getState().load();
createRoot(document.getElementById('root')!).render(
  <ErrorBoundary>
    <Options />
  </ErrorBoundary>,
);
