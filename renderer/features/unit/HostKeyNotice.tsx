import { useCallback, useState } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { HostKeyPanel } from '../../components/hostKey';
import { useUnit } from '../../platform/stores/unitContext';

/** A unit added without trusting its key (or whose pin was cleared) cannot be diagnosed: offer the check here. */
export function HostKeyNotice({ unit }: { unit: string }) {
  const { t } = useI18n();
  const [isOpen, setOpen] = useState(false);
  const refresh = useUnit((state) => state.actions.refresh);
  const onTrusted = useCallback(() => void refresh(), [refresh]);

  if (isOpen) {
    return <HostKeyPanel unit={unit} onTrusted={onTrusted} />;
  }
  return (
    <div className="notice notice--attention" data-testid="hostkey-notice">
      <p>{t('hostKey.notTrusted')}</p>
      <button type="button" className="button" data-testid="hostkey-check" onClick={() => setOpen(true)}>
        {t('hostKey.check')}
      </button>
    </div>
  );
}
