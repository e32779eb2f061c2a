import { useId, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { MasterHazard, MasterSettled } from './MasterHazard';
import { StopFirmwareDialog } from './StopFirmwareDialog';
import { UnitPicker } from './UnitPicker';

/**
 * Which vehicle this bus belongs to. When its firmware service runs, the firmware polls the same bus: a second
 * master. The technician stops it first (a gated action) or says the adapter is on a bench bus.
 */
export function SecondMasterPanel() {
  const { t } = useI18n();
  const unit = useBus((state) => state.unit);
  const secondMaster = useBus((state) => state.secondMaster);
  const secondMasterError = useBus((state) => state.secondMasterError);
  const isChecking = useBus((state) => state.isCheckingMaster);
  const decision = useBus((state) => state.masterDecision);
  const firmwareUndo = useBus((state) => state.firmwareUndo);
  const { decideMaster, firmwareStopped } = useBus((state) => state.actions);
  const [isStopOpen, setStopOpen] = useState(false);
  const id = useId();

  const isHazard = secondMaster !== null && decision === 'none' && secondMaster.hazard !== 'none';

  return (
    <section className="panel bus__master" aria-labelledby={`${id}-title`} data-testid="bus-master">
      <header className="panel__head">
        <h2 className="section-title" id={`${id}-title`}>
          {t('bus.master.title')}
        </h2>
      </header>
      <UnitPicker id={id} />
      {secondMasterError ? <ErrorNotice error={secondMasterError} testId="master-error" /> : null}
      {unit === null ? <p className="muted">{t('bus.master.benchNote')}</p> : null}
      {unit !== null && isChecking && secondMaster === null ? (
        <p className="muted">{t('bus.master.checking')}</p>
      ) : null}
      {isHazard ? (
        <MasterHazard
          view={secondMaster}
          onStopFirmware={() => setStopOpen(true)}
          onBench={() => decideMaster('bench')}
        />
      ) : null}
      {secondMaster !== null && !isHazard ? <MasterSettled view={secondMaster} decision={decision} /> : null}
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
