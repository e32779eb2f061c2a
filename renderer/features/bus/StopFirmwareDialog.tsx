import { useId, useState } from 'react';

import type { CallOutput } from '../../../shared/ipc/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import type { SecondMasterView } from './busStore';
import { Dialog } from './Dialog';

type StopResult = CallOutput<'rs485.stopFirmware'>;
type Props = { view: SecondMasterView; onClose: () => void; onStopped: (undo: string[]) => void };

/** The gated action: what will run, what it means, and the unit's name typed to confirm. */
export function StopFirmwareDialog({ view, onClose, onStopped }: Props) {
  const { t } = useI18n();
  const [result, setResult] = useState<StopResult | null>(null);
  const plan = view.stopFirmware;

  return (
    <Dialog
      title={plan?.title ?? t('bus.master.stopFirmware')}
      testId="stop-firmware-dialog"
      onClose={onClose}
      isDanger
    >
      {plan ? (
        <>
          <p>{plan.consequences}</p>
          <h3 className="bus__subtitle">{t('bus.master.commands')}</h3>
          <pre className="command">{plan.commands.join('\n')}</pre>
          <h3 className="bus__subtitle">{t('bus.master.undo')}</h3>
          <pre className="command">{plan.undo.join('\n')}</pre>
        </>
      ) : null}
      {result === null ? (
        <StopFirmwareForm unit={view.unit} onResult={setResult} onClose={onClose} />
      ) : (
        <StopFirmwareResult result={result} onClose={onClose} onStopped={onStopped} />
      )}
    </Dialog>
  );
}

type FormProps = { unit: string; onResult: (result: StopResult) => void; onClose: () => void };

/** The unit's name typed to confirm; only then may the firmware be stopped. */
function StopFirmwareForm({ unit, onResult, onClose }: FormProps) {
  const { t } = useI18n();
  const api = useApi();
  const id = useId();
  const [typed, setTyped] = useState('');
  const [isStopping, setStopping] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const isConfirmed = typed.trim() === unit;

  const stop = async (): Promise<void> => {
    setStopping(true);
    setError(null);
    try {
      onResult(await api.call('rs485.stopFirmware', { unit, confirm: true }));
    } catch (caught) {
      setError(caught);
    } finally {
      setStopping(false);
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (isConfirmed && !isStopping) {
          void stop();
        }
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-typed`}>{t('bus.master.typeName', { unit })}</label>
        <input
          id={`${id}-typed`}
          type="text"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          data-testid="stop-firmware-typed"
        />
      </div>
      {error ? <ErrorNotice error={error} testId="stop-firmware-error" /> : null}
      <div className="toolbar bus-dialog__actions">
        <button
          type="submit"
          className="button button--danger"
          disabled={!isConfirmed || isStopping}
          data-testid="stop-firmware-confirm"
        >
          {isStopping ? t('bus.master.stopping') : t('bus.master.stopNow', { unit })}
        </button>
        <button type="button" className="button" onClick={onClose} data-testid="stop-firmware-cancel">
          {t('bus.cancel')}
        </button>
      </div>
    </form>
  );
}

type ResultProps = { result: StopResult; onClose: () => void; onStopped: (undo: string[]) => void };

/** What stopping the firmware did, its audit entry, and the way on once it stopped. */
function StopFirmwareResult({ result, onClose, onStopped }: ResultProps) {
  const { t } = useI18n();
  return (
    <>
      <p
        className={`notice ${result.stopped ? 'notice--ok' : 'notice--error'}`}
        data-testid="stop-firmware-result"
        data-stopped={result.stopped}
      >
        {result.message}
      </p>
      <p className="muted">{t('bus.audited', { seq: result.audit.seq })}</p>
      <div className="toolbar bus-dialog__actions">
        {result.stopped ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() => onStopped(result.undo)}
            data-testid="stop-firmware-done"
          >
            {t('bus.master.continue')}
          </button>
        ) : null}
        <button type="button" className="button" onClick={onClose}>
          {t('bus.close')}
        </button>
      </div>
    </>
  );
}
