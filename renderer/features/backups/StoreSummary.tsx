import { useEffect, useState } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../i18n/formatBytes';
import { useApi } from '../../platform/ApiProvider';
import { useBackups } from '../../platform/stores/BackupsProvider';

/** Store totals: how much deduplication and compression save across the fleet. */
export function StoreSummary() {
  const { t, language } = useI18n();
  const api = useApi();
  const listVersion = useBackups((state) => state.listVersion);
  const [stats, setStats] = useState<{ backups: number; units: number; storedBytes: number; logicalBytes: number }>();
  useEffect(() => {
    let isCurrent = true;
    api.call('backup.stats', {}).then(
      (answer) => {
        if (isCurrent) {
          setStats(answer);
        }
      },
      // The totals are a courtesy; the list below reports a store that cannot be read.
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [api, listVersion]);
  if (!stats) {
    return null;
  }
  return (
    <p className="summary" data-testid="backup-stats">
      {t('backup.stats', {
        backups: stats.backups,
        units: stats.units,
        logical: formatBytes(stats.logicalBytes, language),
        stored: formatBytes(stats.storedBytes, language),
      })}
    </p>
  );
}
