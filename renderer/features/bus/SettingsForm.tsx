import { useMemo } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { checkDraft } from './busSettingsDraft';
import { isMasterSettled } from './busStore';
import { SettingsFields } from './SettingsFields';

/** The bus settings and the explicit Connect, refused until a port is chosen and the second master is settled. */
export function SettingsForm() {
  const { t } = useI18n();
  const draft = useBus((state) => state.draft);
  const hasTried = useBus((state) => state.hasTriedConnect);
  const connectError = useBus((state) => state.connectError);
  const { setDraft, connectBus } = useBus((state) => state.actions);
  const checked = useMemo(() => checkDraft(draft), [draft]);
  const problems = hasTried && !checked.ok ? checked.problems : {};

  return (
    <form
      className="bus__settings"
      data-testid="bus-settings"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void connectBus();
      }}
    >
      <h3 className="bus__subtitle">{t('bus.settings.title')}</h3>
      <SettingsFields draft={draft} problems={problems} onChange={setDraft} />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.echoSuppression}
          onChange={(event) => setDraft({ echoSuppression: event.target.checked })}
          data-testid="settings-echo"
        />
        {t('bus.settings.echo')}
      </label>
      {hasTried && !checked.ok ? (
        <p className="notice notice--error" role="alert" data-testid="settings-invalid">
          {t('bus.settings.invalid')}
        </p>
      ) : null}
      {connectError ? <ErrorNotice error={connectError} testId="connect-error" /> : null}
      <ConnectBar />
    </form>
  );
}

/** The Connect button and the one reason it cannot be pressed yet, or the port it will connect. */
function ConnectBar() {
  const { t } = useI18n();
  const selectedPort = useBus((state) => state.selectedPort);
  const isConnecting = useBus((state) => state.isConnecting);
  const buses = useBus((state) => state.buses);
  const isSettled = useBus(isMasterSettled);
  const isHeld = buses.some((bus) => bus.port === selectedPort);
  return (
    <div className="toolbar">
      <button
        type="submit"
        className="button button--primary"
        disabled={selectedPort === '' || isConnecting || isHeld || !isSettled}
        data-testid="connect-button"
      >
        {isConnecting ? t('bus.connecting') : t('bus.connect')}
      </button>
      <span className="muted" data-testid="connect-hint">
        {selectedPort === ''
          ? t('bus.connectHint.noPort')
          : isHeld
            ? t('bus.connectHint.held', { path: selectedPort })
            : !isSettled
              ? t('bus.connectHint.master')
              : t('bus.connectHint.ready', { path: selectedPort })}
      </span>
    </div>
  );
}
