import { useState } from 'react';
import { Notice, Switch } from '../ui/components';
import { t } from '../ui/i18n';
import { useSettings } from '../ui/settings-store';

/** Loopback origins recognised as AI tools: protected by themselves, each removable for good. */
export function FoundList() {
  const { settings, edit } = useSettings();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="stack tight">
      <Switch
        label={t('autoProtect')}
        hint={t('autoProtectHint')}
        checked={settings.autoProtect}
        onChange={(autoProtect) => void edit({ op: 'flag', key: 'autoProtect', value: autoProtect })}
      />
      <h3 id="found-heading">{t('foundHeading')}</h3>
      {settings.foundOrigins.length === 0 ? (
        <p className="muted">{t('foundEmpty')}</p>
      ) : (
        <ul className="origin-list" aria-labelledby="found-heading">
          {settings.foundOrigins.map((origin) => (
            <li key={origin} className="row spread">
              <span className="origin">{origin}</span>
              <button
                type="button"
                aria-label={t('removeOriginLabel', origin)}
                onClick={() => {
                  void edit({ op: 'dismiss-found', origin });
                  setMessage(t('foundRemoved', origin));
                }}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {message && <Notice kind="ok">{message}</Notice>}
    </div>
  );
}
