import { useId } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { ScanForm, ScanProgressBar } from './ScanForm';
import { ScanResults } from './ScanResults';

/** Which addresses answer, with progress while it runs, and who each module says it is. */
export function ScanPanel() {
  const { t } = useI18n();
  const isScanning = useBus((state) => state.isScanning);
  const result = useBus((state) => state.scan);
  const error = useBus((state) => state.scanError);
  const id = useId();

  return (
    <section className="panel bus__scan" aria-labelledby={`${id}-title`} data-testid="bus-scan">
      <header className="panel__head">
        <h2 className="section-title" id={`${id}-title`}>
          {t('bus.scan.title')}
        </h2>
      </header>
      <ScanForm id={id} />
      {isScanning ? <ScanProgressBar /> : null}
      {error ? <ErrorNotice error={error} testId="scan-error" /> : null}
      {result ? <ScanResults result={result} /> : null}
    </section>
  );
}
