import { useEffect, useId, useState } from 'react';

import type { Unit } from '../../../shared/domain/unit';
import type { CallOutput } from '../../../shared/ipc/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useBus } from './busContext';
import type { SecondMasterView } from './busStore';
import { Dialog } from './Dialog';

/**
 * Which vehicle this bus belongs to. When its firmware service runs, the firmware polls the same bus: a second
 * master. The technician stops it first (a gated action) or says the adapter is on a bench bus.
 */
export function SecondMasterPanel() {
  const { t } = useI18n();
  const api = useApi();
  const unit = useBus((state) => state.unit);
  const secondMaster = useBus((state) => state.secondMaster);
  const secondMasterError = useBus((state) => state.secondMasterError);
  const isChecking = useBus((state) => state.isCheckingMaster);
  const decision = useBus((state) => state.masterDecision);
  const firmwareUndo = useBus((state) => state.firmwareUndo);
  const { chooseUnit, checkSecondMaster, decideMaster, firmwareStopped } = useBus((state) => state.actions);
  const [units, setUnits] = useState<Unit[] | null>(null);
  const [unitsError, setUnitsError] = useState<unknown>(null);
  const [isStopOpen, setStopOpen] = useState(false);
  const id = useId();

  useEffect(() => {
    let isCurrent = true;
    api.call('units.list', {}).then(
      (list) => isCurrent && setUnits(list),
      (error: unknown) => isCurrent && setUnitsError(error),
    );
    return () => {
      isCurrent = false;
    };
  }, [api]);

  const isHazard = secondMaster !== null && decision === 'none' && secondMaster.hazard !== 'none';

  return (
    <section className="panel bus__master" aria-labelledby={`${id}-title`} data-testid="bus-master">
      <header className="panel__head">
        <h2 className="section-title" id={`${id}-title`}>
          {t('bus.master.title')}
        </h2>
      </header>
      <div className="bus__unit-row">
        <label htmlFor={`${id}-unit`}>{t('bus.master.unit')}</label>
        <select
          id={`${id}-unit`}
          value={unit ?? ''}
          onChange={(event) => void chooseUnit(event.target.value === '' ? null : event.target.value)}
          data-testid="bus-unit"
        >
          <option value="">{t('bus.master.bench')}</option>
          {(units ?? []).map((candidate) => (
            <option key={candidate.name} value={candidate.name}>
              {candidate.name}
            </option>
          ))}
        </select>
        {unit !== null ? (
          <button
            type="button"
            className="button button--small"
            disabled={isChecking}
            onClick={() => void checkSecondMaster()}
            data-testid="master-recheck"
          >
            {isChecking ? t('bus.master.checking') : t('bus.master.recheck')}
          </button>
        ) : null}
      </div>
      {unitsError ? <ErrorNotice error={unitsError} testId="units-error" /> : null}
      {secondMasterError ? <ErrorNotice error={secondMasterError} testId="master-error" /> : null}
      {unit === null ? <p className="muted">{t('bus.master.benchNote')}</p> : null}
      {unit !== null && isChecking && secondMaster === null ? (
        <p className="muted">{t('bus.master.checking')}</p>
      ) : null}

      {isHazard ? (
        <div className="bus__hazard" role="alert" data-testid="second-master-warning" data-hazard={secondMaster.hazard}>
          <p className="bus__hazard-title">
            {secondMaster.hazard === 'likely'
              ? t('bus.master.hazardLikely', { unit: secondMaster.unit, service: secondMaster.firmwareService })
              : t('bus.master.hazardUnknown', { unit: secondMaster.unit })}
          </p>
          <p>{t('bus.master.why')}</p>
          {secondMaster.reason ? <p className="notice__detail">{secondMaster.reason}</p> : null}
          <div className="toolbar">
            {secondMaster.stopFirmware !== null ? (
              <button
                type="button"
                className="button button--danger"
                onClick={() => setStopOpen(true)}
                data-testid="master-stop-firmware"
              >
                {t('bus.master.stopFirmware')}
              </button>
            ) : null}
            <button
              type="button"
              className="button"
              onClick={() => decideMaster('bench')}
              data-testid="master-bench-bus"
            >
              {t('bus.master.benchBus')}
            </button>
          </div>
        </div>
      ) : null}

      {secondMaster !== null && !isHazard ? (
        <p
          className={`notice ${decision === 'bench' ? 'notice--attention' : 'notice--ok'}`}
          data-testid="master-settled"
          data-decision={decision}
        >
          <LevelChip level={secondMaster.check.level} />{' '}
          {decision === 'bench'
            ? t('bus.master.onBench', { unit: secondMaster.unit })
            : decision === 'stopped'
              ? t('bus.master.stopped', { unit: secondMaster.unit, service: secondMaster.firmwareService })
              : t('bus.master.clear', { unit: secondMaster.unit })}
        </p>
      ) : null}
      {decision === 'stopped' && firmwareUndo !== null && firmwareUndo.length > 0 ? (
        <div data-testid="master-undo">
          <p className="bus__subtitle">{t('bus.master.undo')}</p>
          <pre className="command">{firmwareUndo.join('\n')}</pre>
        </div>
      ) : null}

      {isStopOpen && secondMaster !== null ? (
        <StopFirmwareDialog
          view={secondMaster}
          onClose={() => setStopOpen(false)}
          onStopped={(undo) => {
            setStopOpen(false);
            firmwareStopped(undo);
          }}
        />
      ) : null}
    </section>
  );
}

type StopResult = CallOutput<'rs485.stopFirmware'>;

/** The gated action: what will run, what it means, and the unit's name typed to confirm. */
function StopFirmwareDialog({
  view,
  onClose,
  onStopped,
}: {
  view: SecondMasterView;
  onClose: () => void;
  onStopped: (undo: string[]) => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [typed, setTyped] = useState('');
  const [isStopping, setStopping] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<StopResult | null>(null);
  const id = useId();
  const plan = view.stopFirmware;
  const isConfirmed = typed.trim() === view.unit;

  const stop = async (): Promise<void> => {
    setStopping(true);
    setError(null);
    try {
      setResult(await api.call('rs485.stopFirmware', { unit: view.unit, confirm: true }));
    } catch (caught) {
      setError(caught);
    } finally {
      setStopping(false);
    }
  };

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
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (isConfirmed && !isStopping) {
              void stop();
            }
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-typed`}>{t('bus.master.typeName', { unit: view.unit })}</label>
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
              {isStopping ? t('bus.master.stopping') : t('bus.master.stopNow', { unit: view.unit })}
            </button>
            <button type="button" className="button" onClick={onClose} data-testid="stop-firmware-cancel">
              {t('bus.cancel')}
            </button>
          </div>
        </form>
      ) : (
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
      )}
    </Dialog>
  );
}
