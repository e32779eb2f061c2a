import { useId, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { describeFaults, faultsOf, NO_FAULTS, type FaultChoice } from './simFaults';
import { SimFaultPicker } from './SimFaultPicker';

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
      <SimFaultPicker id={id} choice={choice} onChange={setChoice} />
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
