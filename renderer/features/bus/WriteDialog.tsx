import type { ModuleReading } from '../../../shared/ipc/contracts/rs485';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { Dialog } from './Dialog';
import { moduleTypeKey } from './moduleText';
import { useWritePlan } from './useWritePlan';
import { WriteForm } from './WriteForm';
import { WritePlanPanel } from './WritePlanPanel';
import { WriteResultPanel } from './WriteResultPanel';

export type WriteRequest = { action: 'write' | 'clearErrors'; register: string | null };

type Props = {
  busId: string;
  slave: number;
  reading: ModuleReading;
  unit: string | undefined;
  request: WriteRequest;
  onClose: () => void;
};

/**
 * The safe write: a register of the map and a value in its units, then the core's plan (old → new, or why not),
 * an explicit confirmation (a second one for a safety-critical register), then the verified result.
 */
export function WriteDialog({ busId, slave, reading, unit, request, onClose }: Props) {
  const { t } = useI18n();
  const isClear = request.action === 'clearErrors';
  const state = useWritePlan({ busId, slave, reading, unit, isClear });
  const { plan, result, error, isBusy } = state;
  const module = t(moduleTypeKey(reading.type));
  const title = isClear
    ? t('bus.write.clearTitle', { module, address: slave })
    : t('bus.write.title', { module, address: slave });

  return (
    <Dialog title={title} testId="write-dialog" onClose={onClose} isDanger={state.needsSafety}>
      {!isClear && result === null ? (
        <WriteForm
          reading={reading}
          initialRegister={request.register}
          isBusy={isBusy}
          onEdit={state.clearPlan}
          onPlan={(register, value) => void state.makePlan(register, value)}
        />
      ) : null}
      {error ? <ErrorNotice error={error} testId="write-error" /> : null}
      {(isBusy || (isClear && !error)) && plan === null ? <p className="muted">{t('bus.write.planning')}</p> : null}
      {plan && result === null ? <WritePlanPanel state={state} onClose={onClose} /> : null}
      {result ? <WriteResultPanel result={result} onClose={onClose} /> : null}
      {plan === null && result === null ? (
        <div className="toolbar bus-dialog__actions">
          <button type="button" className="button" onClick={onClose} data-testid="write-cancel">
            {t('bus.cancel')}
          </button>
        </div>
      ) : null}
    </Dialog>
  );
}
