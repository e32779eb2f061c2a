import { useI18n } from '../i18n/I18nProvider';
import { useLiveStatus } from '../platform/LiveStatusProvider';

/** Says so when live updates have stopped: what the page shows may be out of date until they are back. */
export function LiveIndicator() {
  const { t } = useI18n();
  const { state } = useLiveStatus();
  if (state !== 'reconnecting') {
    return null;
  }
  return (
    <span className="live live--down" role="status" data-testid="live-status">
      {t('live.reconnecting')}
    </span>
  );
}
