import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';

const ADDRESS = /^\d{1,3}$/;

function rangeOk(from: string, to: string): boolean {
  if (!ADDRESS.test(from) || !ADDRESS.test(to)) {
    return false;
  }
  const a = Number(from);
  const b = Number(to);
  return a >= 1 && b <= 247 && a <= b;
}

/** The range of addresses to scan, the scan's start and cancel; a bad range says so and is not scanned. */
export function ScanForm({ id }: { id: string }) {
  const { t } = useI18n();
  const scanFrom = useBus((state) => state.scanFrom);
  const scanTo = useBus((state) => state.scanTo);
  const isScanning = useBus((state) => state.isScanning);
  const { setScanRange, scan, cancelScan } = useBus((state) => state.actions);
  const isRangeOk = rangeOk(scanFrom, scanTo);
  const fieldClass = `field field--short${isRangeOk ? '' : ' field--invalid'}`;

  return (
    <>
      <form
        className="bus__scan-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (isRangeOk) {
            void scan();
          }
        }}
      >
        <div className={fieldClass}>
          <label htmlFor={`${id}-from`}>{t('bus.scan.from')}</label>
          <input
            id={`${id}-from`}
            type="number"
            min={1}
            max={247}
            value={scanFrom}
            onChange={(event) => setScanRange(event.target.value, scanTo)}
            data-testid="scan-from"
          />
        </div>
        <div className={fieldClass}>
          <label htmlFor={`${id}-to`}>{t('bus.scan.to')}</label>
          <input
            id={`${id}-to`}
            type="number"
            min={1}
            max={247}
            value={scanTo}
            onChange={(event) => setScanRange(scanFrom, event.target.value)}
            data-testid="scan-to"
          />
        </div>
        <button
          type="submit"
          className="button button--primary"
          disabled={isScanning || !isRangeOk}
          data-testid="scan-button"
        >
          {isScanning ? t('bus.scan.running') : t('bus.scan.start')}
        </button>
        <button
          type="button"
          className="button button--quiet"
          onClick={() => setScanRange('1', '247')}
          disabled={isScanning}
        >
          {t('bus.scan.full')}
        </button>
        {isScanning ? (
          <button type="button" className="button" onClick={() => void cancelScan()} data-testid="scan-cancel">
            {t('bus.scan.cancel')}
          </button>
        ) : null}
      </form>
      {!isRangeOk ? (
        <p className="notice notice--error" role="alert" data-testid="scan-range-invalid">
          {t('bus.scan.badRange')}
        </p>
      ) : null}
    </>
  );
}

/** How far the running scan got and how many modules it found so far. */
export function ScanProgressBar() {
  const { t } = useI18n();
  const progress = useBus((state) => state.scanProgress);
  return (
    <div
      className="bus__progress"
      data-testid="scan-progress"
      data-done={progress?.done ?? 0}
      data-total={progress?.total ?? 0}
    >
      <progress max={progress?.total ?? 1} value={progress?.done ?? 0} aria-label={t('bus.scan.progressLabel')} />
      <span role="status">
        {progress
          ? t('bus.scan.progress', {
              done: progress.done,
              total: progress.total,
              address: progress.address,
              found: progress.found,
            })
          : t('bus.scan.starting')}
      </span>
    </div>
  );
}
