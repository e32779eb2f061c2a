import type { Unit } from '../../../shared/domain/unit';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { PhaseIndicator } from '../../components/PhaseIndicator';
import { routeHref } from '../../platform/routes';
import { useI18n } from '../../i18n/I18nProvider';
import { useUnit } from '../../platform/stores/unitContext';

export function UnitHeader({ unit }: { unit: Unit }) {
  const { t } = useI18n();
  const phase = useUnit((state) => state.phase);
  const isRunning = useUnit((state) => state.isRunning);
  const runError = useUnit((state) => state.runError);
  const diagnose = useUnit((state) => state.actions.diagnose);
  const isBusy = isRunning || phase !== null;
  // Without a trusted key the core refuses to connect; the notice below says how to fix that.
  const canDiagnose = unit.hostKey !== null && !isBusy;

  return (
    <header className="unit__head">
      <a className="back" href={routeHref({ page: 'fleet' })} data-testid="back-link">
        {t('unit.back')}
      </a>
      <div className="page__head">
        <div className="unit__title">
          <h1 className="page__title" data-testid="unit-name">
            {unit.name}
          </h1>
          <LevelChip level={unit.lastLevel} testId="unit-level" isLarge />
          {phase ? <PhaseIndicator phase={phase} testId="unit-progress" /> : null}
        </div>
        <button
          type="button"
          className="button button--primary button--large"
          data-testid="diagnose-button"
          disabled={!canDiagnose}
          aria-busy={isBusy}
          onClick={() => void diagnose()}
        >
          {t('unit.diagnose')}
        </button>
      </div>
      <dl className="facts">
        <div>
          <dt>{t('unit.host')}</dt>
          <dd className="mono" data-testid="unit-host">
            {unit.host}:{unit.port}
          </dd>
        </div>
        <div>
          <dt>{t('unit.user')}</dt>
          <dd className="mono">{unit.user}</dd>
        </div>
        <div>
          <dt>{t('unit.services')}</dt>
          <dd className="mono">
            {unit.profile.backendService} :{unit.profile.backendPort} · {unit.profile.firmwareService} :
            {unit.profile.firmwarePort}
          </dd>
        </div>
        {unit.hostKey ? (
          <div>
            <dt>{t('hostKey.pinned')}</dt>
            <dd className="mono" data-testid="unit-hostkey" title={unit.hostKey.algorithm}>
              {unit.hostKey.fingerprint}
            </dd>
          </div>
        ) : null}
      </dl>
      {runError ? <ErrorNotice error={runError} testId="run-error" /> : null}
    </header>
  );
}
