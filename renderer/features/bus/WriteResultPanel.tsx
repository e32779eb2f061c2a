import type { WriteResultView } from '../../../shared/ipc/contracts/rs485';
import { useI18n } from '../../i18n/I18nProvider';
import { outcomeKey } from './moduleText';

type Props = { result: WriteResultView; onClose: () => void };

/** The verified result of a write: its outcome, the register read back, the audit entry. */
export function WriteResultPanel({ result, onClose }: Props) {
  const { t } = useI18n();
  return (
    <div data-testid="write-result" data-outcome={result.outcome}>
      <p
        className={`notice ${result.outcome === 'ok' ? 'notice--ok' : 'notice--error'}`}
        role={result.outcome === 'ok' ? 'status' : 'alert'}
      >
        <strong>{t(outcomeKey(result.outcome))}</strong> {result.message}
      </p>
      {result.readBack ? (
        <p data-testid="write-readback">
          {t('bus.write.readBack', {
            name: result.readBack.name,
            text: result.readBack.text,
            raw: result.readBack.rawHex,
          })}
        </p>
      ) : null}
      <p className="muted">{t('bus.audited', { seq: result.audit.seq })}</p>
      <div className="toolbar bus-dialog__actions">
        <button type="button" className="button button--primary" onClick={onClose} data-testid="write-close">
          {t('bus.close')}
        </button>
      </div>
    </div>
  );
}
