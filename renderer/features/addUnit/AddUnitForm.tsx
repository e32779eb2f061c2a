import { useId } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { routeHref } from '../../platform/routes';
import { describeError, issueFields } from '../../i18n/describeError';
import { useI18n } from '../../i18n/I18nProvider';
import { useAddUnit } from './addUnitContext';
import type { AuthKind } from './unitDraft';

export function AddUnitForm() {
  const { t } = useI18n();
  const draft = useAddUnit((state) => state.draft);
  const status = useAddUnit((state) => state.status);
  const error = useAddUnit((state) => state.error);
  const { setField, submit } = useAddUnit((state) => state.actions);
  const authId = useId();
  const invalid = error ? issueFields(describeError(error).issues) : new Set<string>();

  return (
    <form
      className="form"
      data-testid="add-unit-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="muted">{t('add.intro')}</p>
      <div className="form__grid">
        <TextField
          label={t('add.name')}
          hint={t('add.nameHint')}
          value={draft.name}
          onChange={(value) => setField('name', value)}
          testId="add-name"
          isInvalid={invalid.has('name')}
          isRequired
        />
        <TextField
          label={t('add.host')}
          value={draft.host}
          onChange={(value) => setField('host', value)}
          testId="add-host"
          isInvalid={invalid.has('host')}
          placeholder="192.168.1.50"
          isRequired
        />
        <TextField
          label={t('add.port')}
          type="number"
          min={1}
          max={65535}
          value={draft.port}
          onChange={(value) => setField('port', value)}
          testId="add-port"
          isInvalid={invalid.has('port')}
        />
        <TextField
          label={t('add.user')}
          value={draft.user}
          onChange={(value) => setField('user', value)}
          testId="add-user"
          isInvalid={invalid.has('user')}
          isRequired
        />
        <div className="field">
          <label htmlFor={authId}>{t('add.authKind')}</label>
          <select
            id={authId}
            value={draft.authKind}
            data-testid="add-auth-kind"
            onChange={(event) => setField('authKind', event.target.value as AuthKind)}
          >
            <option value="key">{t('add.auth.key')}</option>
            <option value="password">{t('add.auth.password')}</option>
          </select>
        </div>
        {draft.authKind === 'key' ? (
          <>
            <TextField
              label={t('add.keyPath')}
              value={draft.keyPath}
              onChange={(value) => setField('keyPath', value)}
              testId="add-key-path"
              isInvalid={invalid.has('keyPath')}
              placeholder="~/.ssh/id_ed25519"
              isRequired
            />
            <TextField
              label={t('add.passphraseEnv')}
              value={draft.passphraseEnv}
              onChange={(value) => setField('passphraseEnv', value)}
              testId="add-passphrase-env"
              isInvalid={invalid.has('passphraseEnv')}
              placeholder="OHT_KEY_PASSPHRASE"
            />
          </>
        ) : (
          <TextField
            label={t('add.passwordEnv')}
            value={draft.passwordEnv}
            onChange={(value) => setField('passwordEnv', value)}
            testId="add-password-env"
            isInvalid={invalid.has('passwordEnv')}
            placeholder="OHT_PASSWORD"
            isRequired
          />
        )}
      </div>

      {error ? <ErrorNotice error={error} testId="form-error" /> : null}

      <div className="toolbar">
        <button
          type="submit"
          className="button button--primary"
          data-testid="add-submit"
          disabled={status === 'submitting'}
        >
          {status === 'submitting' ? t('add.submitting') : t('add.submit')}
        </button>
        <a className="button button--quiet" href={routeHref({ page: 'fleet' })}>
          {t('add.cancel')}
        </a>
      </div>
    </form>
  );
}
