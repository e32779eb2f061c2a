import { LevelChip } from '../../components/LevelChip';
import { useI18n } from '../../i18n/I18nProvider';
import type { MasterDecision, SecondMasterView } from './busStore';

type HazardProps = { view: SecondMasterView; onStopFirmware: () => void; onBench: () => void };

/** The firmware may poll this bus too: stop it first, or say the adapter is on a bench bus. */
export function MasterHazard({ view, onStopFirmware, onBench }: HazardProps) {
  const { t } = useI18n();
  return (
    <div className="bus__hazard" role="alert" data-testid="second-master-warning" data-hazard={view.hazard}>
      <p className="bus__hazard-title">
        {view.hazard === 'likely'
          ? t('bus.master.hazardLikely', { unit: view.unit, service: view.firmwareService })
          : t('bus.master.hazardUnknown', { unit: view.unit })}
      </p>
      <p>{t('bus.master.why')}</p>
      {view.reason ? <p className="notice__detail">{view.reason}</p> : null}
      <div className="toolbar">
        {view.stopFirmware !== null ? (
          <button
            type="button"
            className="button button--danger"
            onClick={onStopFirmware}
            data-testid="master-stop-firmware"
          >
            {t('bus.master.stopFirmware')}
          </button>
        ) : null}
        <button type="button" className="button" onClick={onBench} data-testid="master-bench-bus">
          {t('bus.master.benchBus')}
        </button>
      </div>
    </div>
  );
}

/** How the second-master question stands: nothing else polls, the firmware was stopped, or a bench bus. */
export function MasterSettled({ view, decision }: { view: SecondMasterView; decision: MasterDecision }) {
  const { t } = useI18n();
  return (
    <p
      className={`notice ${decision === 'bench' ? 'notice--attention' : 'notice--ok'}`}
      data-testid="master-settled"
      data-decision={decision}
    >
      <LevelChip level={view.check.level} />{' '}
      {decision === 'bench'
        ? t('bus.master.onBench', { unit: view.unit })
        : decision === 'stopped'
          ? t('bus.master.stopped', { unit: view.unit, service: view.firmwareService })
          : t('bus.master.clear', { unit: view.unit })}
    </p>
  );
}
