import { useEffect, useId, useState } from 'react';

import type { SessionInfo } from '../../../shared/domain/unit';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { useI18n } from '../../i18n/I18nProvider';
import { actorText } from '../../i18n/actor';
import { useApi } from '../../platform/ApiProvider';

/**
 * Who is working here, set once and recorded on every audit row, run step and signature; and, where this desktop
 * has no real keyring, the store passphrase for the session (kept in memory only, never saved).
 */
export function SessionPanel() {
  const api = useApi();
  const { t } = useI18n();
  const [info, setInfo] = useState<SessionInfo | null>(null);
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();

  useEffect(() => {
    api.call('session.get', {}).then((loaded) => {
      setInfo(loaded);
      setName(loaded.technician.name ?? '');
    }, setError);
  }, [api]);

  const run = async (call: () => Promise<SessionInfo>): Promise<void> => {
    setError(null);
    try {
      setInfo(await call());
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section className="panel settings__form" data-testid="session-panel" aria-labelledby={titleId}>
      <h2 className="section-title" id={titleId}>
        {t('session.title')}
      </h2>
      {error ? <ErrorNotice error={error} testId="session-error" /> : null}
      {info ? (
        <p data-testid="technician-status" className={info.technician.name === null ? 'notice notice--attention' : ''}>
          {info.technician.name === null
            ? t('session.technicianUnset', { recordedAs: actorText(info.technician.recordedAs, t) })
            : t('session.technicianSet', { name: info.technician.name })}
        </p>
      ) : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void run(() => api.call('session.setTechnician', { name }));
        }}
      >
        <TextField label={t('session.technician')} value={name} onChange={setName} testId="technician-name" />
        <button type="submit" className="button" data-testid="technician-save">
          {t('session.saveTechnician')}
        </button>
      </form>
      {info?.passphrase.needed || info?.passphrase.entered ? (
        <form
          data-testid="passphrase-form"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => api.call('session.unlock', { passphrase })).then(() => setPassphrase(''));
          }}
        >
          <p className="notice notice--attention">
            {info.passphrase.entered ? t('session.passphraseEntered') : t('session.passphraseNeeded')}
          </p>
          <label className="field">
            <span>{t('session.passphrase')}</span>
            <input
              type="password"
              autoComplete="off"
              value={passphrase}
              onChange={(event) => setPassphrase(event.target.value)}
              data-testid="passphrase-input"
            />
          </label>
          <button type="submit" className="button" data-testid="passphrase-unlock" disabled={passphrase === ''}>
            {t('session.unlock')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
