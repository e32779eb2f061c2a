import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { useLogs } from './logsContext';

/** Whether the view follows live or shows a window, and how many lines it shows, received and had left out. */
export function LogsStatus({ shown }: { shown: number }) {
  const { t } = useI18n();
  const mode = useLogs((s) => s.mode);
  const at = useLogs((s) => s.at);
  const status = useLogs((s) => s.status);
  const lines = useLogs((s) => s.lines);
  const received = useLogs((s) => s.received);
  const dropped = useLogs((s) => s.dropped);
  return (
    <p className="logs__status" data-testid="logs-status">
      {mode === 'window' && at !== null ? (
        <span data-testid="logs-window">
          {t('logs.window')} <Time iso={at} />
        </span>
      ) : (
        <span>{t(`logs.status.${status}`)}</span>
      )}
      <span className="logs__counts">
        <span data-testid="logs-shown" data-count={shown}>
          {t('logs.shown', { shown: shown, held: lines.length })}
        </span>
        <span data-testid="logs-received" data-count={received}>
          {t('logs.received', { count: received })}
        </span>
        <span className={dropped > 0 ? 'logs__dropped' : ''} data-testid="logs-dropped" data-count={dropped}>
          {t('logs.dropped', { count: dropped })}
        </span>
      </span>
    </p>
  );
}
