import { createRoot } from 'react-dom/client';
import { localiseDocument } from '../ui/i18n';
import { followStorage, useSettings } from '../ui/settings-store';
import '../ui/styles.css';
import { Popup } from './popup';

localiseDocument('popupTitle');
followStorage();
void useSettings.getState().load();
createRoot(document.getElementById('root')!).render(<Popup />);
