import { useId, useState } from 'react';

import { MODULE_TYPES, type ModuleType } from '../../../shared/domain/rs485Profile';
import type { SimFaultsInput } from '../../../shared/ipc/contracts/rs485';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { moduleTypeKey } from './moduleText';

type FaultChoice = {
  estopPressed: boolean;
  lowBattery: boolean;
  missing: ModuleType | '';
  noisy: boolean;
  slow: ModuleType | '';
};

const NO_FAULTS: FaultChoice = { estopPressed: false, lowBattery: false, missing: '', noisy: false, slow: '' };

/** The contract's faults for what the trainer ticked. */
function faultsOf(choice: FaultChoice): SimFaultsInput {
  return {
    ...(choice.estopPressed ? { estopPressed: true } : {}),
    ...(choice.lowBattery ? { lowBattery: true } : {}),
    ...(choice.missing !== '' ? { missing: [choice.missing] } : {}),
    ...(choice.noisy ? { noise: { everyNth: 7 } } : {}),
    ...(choice.slow !== '' ? { slowMs: { [choice.slow]: 400 } } : {}),
  };
}

/** A simulated module bus (the four modules on a pseudo-terminal pair) with the faults a trainer picks. */
export function SimPanel() {
  const { t } = useI18n();
  const sims = useBus((state) => state.sims);
  const simError = useBus((state) => state.simError);
  const isStarting = useBus((state) => state.isStartingSim);
  const { startSim, stopSim } = useBus((state) => state.actions);
  const [choice, setChoice] = useState<FaultChoice>(NO_FAULTS);
  const id = useId();

  return (
    <section className="panel bus__sim" aria-labelledby={`${id}-title`} data-testid="bus-sim">
      <header className="panel__head">
        <h2 className="section-title" id={`${id}-title`}>
          {t('bus.sim.title')}
        </h2>
      </header>
      <p className="muted">{t('bus.sim.intro')}</p>
      <fieldset className="bus__faults">
        <legend>{t('bus.sim.faults')}</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={choice.estopPressed}
            onChange={(event) => setChoice({ ...choice, estopPressed: event.target.checked })}
            data-testid="sim-fault-estop"
          />
          {t('bus.sim.estop')}
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={choice.lowBattery}
            onChange={(event) => setChoice({ ...choice, lowBattery: event.target.checked })}
            data-testid="sim-fault-battery"
          />
          {t('bus.sim.lowBattery')}
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={choice.noisy}
            onChange={(event) => setChoice({ ...choice, noisy: event.target.checked })}
            data-testid="sim-fault-noise"
          />
          {t('bus.sim.noise')}
        </label>
        <div className="bus__fault-selects">
          <label htmlFor={`${id}-missing`}>{t('bus.sim.missing')}</label>
          <select
            id={`${id}-missing`}
            value={choice.missing}
            onChange={(event) => setChoice({ ...choice, missing: event.target.value as ModuleType | '' })}
            data-testid="sim-fault-missing"
          >
            <option value="">{t('bus.sim.none')}</option>
            {MODULE_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(moduleTypeKey(type))}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-slow`}>{t('bus.sim.slow')}</label>
          <select
            id={`${id}-slow`}
            value={choice.slow}
            onChange={(event) => setChoice({ ...choice, slow: event.target.value as ModuleType | '' })}
            data-testid="sim-fault-slow"
          >
            <option value="">{t('bus.sim.none')}</option>
            {MODULE_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(moduleTypeKey(type))}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <div className="toolbar">
        <button
          type="button"
          className="button"
          disabled={isStarting}
          onClick={() => void startSim(faultsOf(choice))}
          data-testid="sim-start"
        >
          {isStarting ? t('bus.sim.starting') : t('bus.sim.start')}
        </button>
      </div>
      {simError ? <ErrorNotice error={simError} testId="sim-error" /> : null}
      {sims.length > 0 ? (
        <ul className="bus__sims" data-testid="sim-list">
          {sims.map((sim) => (
            <li key={sim.simId} className="bus__sim-item" data-testid="sim-item" data-port={sim.port}>
              <span className="mono">{sim.port}</span>
              <span className="muted">{describeFaults(sim.faults, t)}</span>
              <button
                type="button"
                className="button button--small"
                onClick={() => void stopSim(sim.simId)}
                data-testid="sim-stop"
              >
                {t('bus.sim.stop')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function describeFaults(faults: SimFaultsInput, t: ReturnType<typeof useI18n>['t']): string {
  const parts: string[] = [];
  if (faults.estopPressed) {
    parts.push(t('bus.sim.estop'));
  }
  if (faults.lowBattery) {
    parts.push(t('bus.sim.lowBattery'));
  }
  for (const type of faults.missing ?? []) {
    parts.push(t('bus.sim.missingOne', { module: t(moduleTypeKey(type)) }));
  }
  if (faults.noise) {
    parts.push(t('bus.sim.noise'));
  }
  for (const type of Object.keys(faults.slowMs ?? {})) {
    parts.push(t('bus.sim.slowOne', { module: t(moduleTypeKey(type as ModuleType)) }));
  }
  return parts.length > 0 ? parts.join(', ') : t('bus.sim.healthy');
}
