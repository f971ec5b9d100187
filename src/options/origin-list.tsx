import { useEffect, useState, type FormEvent } from 'react';
import { parseSiteInput, type SiteInputError } from '../core/app-path';
import { grantedOrigins, requestHostAccess } from '../platform/permissions';
import { Notice } from '../ui/components';
import { t } from '../ui/i18n';
import { useSettings } from '../ui/settings-store';

const ERROR_KEYS: Record<SiteInputError, string> = {
  'bad-path': 'originErrorPath',
  empty: 'originErrorEmpty',
  'bad-scheme': 'originErrorScheme',
  wildcard: 'originErrorWildcard',
  'bad-port': 'originErrorPort',
  'has-credentials': 'originErrorCredentials',
  malformed: 'originErrorMalformed',
};

/** The user's own origins: add, edit, remove, grant. */
export function OriginList() {
  const { settings, edit } = useSettings();
  const [input, setInput] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [granted, setGranted] = useState<Set<string>>(new Set());

  useEffect(() => {
    void grantedOrigins(settings.customOrigins).then(setGranted);
  }, [settings.customOrigins]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseSiteInput(input);
    if (!parsed.ok) {
      setMessage({ kind: 'error', text: t(ERROR_KEYS[parsed.error]) });
      return;
    }
    const { origin, path } = parsed;
    const shown = path ? origin + path : origin;
    // An origin listed already takes another app path; the same origin (or app) twice is an error.
    const listed = settings.customOrigins.includes(origin) && origin !== editing;
    if (listed && (path === null || settings.appPaths[origin]?.includes(path))) {
      setMessage({ kind: 'error', text: t('originErrorDuplicate', shown) });
      return;
    }
    // Asked first, inside the click: without the grant no rule can apply to it.
    if (!(await requestHostAccess(origin))) {
      setMessage({ kind: 'error', text: t('permissionDenied', new URL(origin).host) });
      return;
    }
    await edit({ op: 'add-origin', origin, ...(editing ? { replacing: editing } : {}), ...(path ? { path } : {}) });
    setMessage({ kind: 'ok', text: t(editing ? 'originUpdated' : 'originAdded', shown) });
    setInput('');
    setEditing(null);
  };

  return (
    <section aria-labelledby="custom-heading" className="card stack">
      <h2 id="custom-heading">{t('customOriginsHeading')}</h2>
      <p className="muted">{t('customOriginsHint')}</p>
      <form className="row" onSubmit={(e) => void submit(e)} noValidate>
        <label className="grow">
          <span className="sr-only">{t('originInputLabel')}</span>
          <input
            type="text"
            inputMode="url"
            aria-label={t('originInputLabel')}
            placeholder="http://192.168.1.20:7860"
            value={input}
            aria-invalid={message?.kind === 'error'}
            aria-describedby="origin-message"
            onChange={(e) => {
              setInput(e.currentTarget.value);
              setMessage(null); // an old verdict must not sit beside new input
            }}
          />
        </label>
        <button type="submit">{editing ? t('saveOrigin') : t('addOrigin')}</button>
        {editing && (
          <button type="button" onClick={() => { setEditing(null); setInput(''); }}>
            {t('cancel')}
          </button>
        )}
      </form>
      <div id="origin-message">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
      {settings.customOrigins.length === 0 ? (
        <p className="muted">{t('customOriginsEmpty')}</p>
      ) : (
        <ul className="origin-list" aria-label={t('customOriginsHeading')}>
          {settings.customOrigins.map((origin) => (
            <li key={origin} className="row spread">
              <span className="origin">{origin}</span>
              {(settings.appPaths[origin] ?? []).length > 0 && (
                <ul className="app-paths" aria-label={t('appPathsLabel', origin)}>
                  {settings.appPaths[origin]!.map((path) => (
                    <li key={path} className="row">
                      <span className="app-path">{path}</span>
                      <button type="button" aria-label={t('removeOriginLabel', origin + path)} onClick={() => void edit({ op: 'remove-app-path', origin, path })}>
                        {t('remove')}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <span className="row">
                {!granted.has(origin) && (
                  <button type="button" onClick={() => void requestHostAccess(origin).then(() => grantedOrigins(settings.customOrigins).then(setGranted))}>
                    {t('grantAccess')}
                  </button>
                )}
                <button type="button" aria-label={t('editOriginLabel', origin)} onClick={() => { setEditing(origin); setInput(origin); setMessage(null); }}>
                  {t('edit')}
                </button>
                <button type="button" aria-label={t('removeOriginLabel', origin)} onClick={() => void edit({ op: 'remove-origin', origin })}>
                  {t('remove')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
