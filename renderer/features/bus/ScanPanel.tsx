import { useId } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { formatSeconds } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { hexWord } from './moduleText';

const ADDRESS = /^\d{1,3}$/;

function rangeOk(from: string, to: string): boolean {
  if (!ADDRESS.test(from) || !ADDRESS.test(to)) {
    return false;
  }
  const a = Number(from);
  const b = Number(to);
  return a >= 1 && b <= 247 && a <= b;
}

/** Which addresses answer, with progress while it runs, and who each module says it is. */
export function ScanPanel() {
  const { t, language } = useI18n();
  const scanFrom = useBus((state) => state.scanFrom);
  const scanTo = useBus((state) => state.scanTo);
  const isScanning = useBus((state) => state.isScanning);
  const progress = useBus((state) => state.scanProgress);
  const result = useBus((state) => state.scan);
  const error = useBus((state) => state.scanError);
  const slave = useBus((state) => state.slave);
  const bus = useBus((state) => state.buses.find((candidate) => candidate.busId === state.busId) ?? null);
  const { setScanRange, scan, scanThoroughly, cancelScan, selectSlave } = useBus((state) => state.actions);
  const id = useId();
  const isRangeOk = rangeOk(scanFrom, scanTo);

  return (
    <section className="panel bus__scan" aria-labelledby={`${id}-title`} data-testid="bus-scan">
      <header className="panel__head">
        <h2 className="section-title" id={`${id}-title`}>
          {t('bus.scan.title')}
        </h2>
      </header>
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
        <div className={`field field--short${isRangeOk ? '' : ' field--invalid'}`}>
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
        <div className={`field field--short${isRangeOk ? '' : ' field--invalid'}`}>
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

      {isScanning ? (
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
      ) : null}
      {error ? <ErrorNotice error={error} testId="scan-error" /> : null}

      {result ? (
        <>
          <p className="muted" data-testid="scan-summary" data-found={result.modules.length}>
            {t(result.cancelled ? 'bus.scan.summaryCancelled' : 'bus.scan.summary', {
              found: result.modules.length,
              from: result.from,
              to: result.to,
              seconds: formatSeconds(result.durationMs, language),
              probe: Math.round(result.probeTimeoutMs),
            })}
          </p>
          {result.modules.length === 0 ? (
            <p className="empty" data-testid="scan-none">
              {t('bus.scan.none')}
            </p>
          ) : (
            <table className="bus-table" data-testid="modules-table">
              <thead>
                <tr>
                  <th scope="col">{t('bus.scan.col.address')}</th>
                  <th scope="col">{t('bus.scan.col.type')}</th>
                  <th scope="col">{t('bus.scan.col.firmware')}</th>
                  <th scope="col">{t('bus.scan.col.hardware')}</th>
                  <th scope="col">{t('bus.scan.col.status')}</th>
                  <th scope="col">{t('bus.scan.col.error')}</th>
                  <th scope="col">{t('bus.scan.col.latency')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('bus.scan.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.modules.map((module) => (
                  <tr
                    key={module.address}
                    className={module.address === slave ? 'bus-table__row--chosen' : undefined}
                    data-testid="module-row"
                    data-address={module.address}
                    data-type={module.moduleType ?? ''}
                  >
                    <td className="mono">{module.address}</td>
                    <td>
                      {module.typeName}
                      {module.typeInferred ? (
                        <span className="tag tag--attention">{t('bus.scan.inferred')}</span>
                      ) : null}
                      {module.possibleDuplicate ? (
                        <span className="tag tag--danger" data-testid="module-duplicate">
                          {t('bus.scan.duplicate')}
                        </span>
                      ) : null}
                      {module.lateMs !== null ? (
                        <span className="tag tag--attention" data-testid="module-slow">
                          {t('bus.scan.slow', { ms: Math.round(module.lateMs) })}
                        </span>
                      ) : null}
                      {module.name ? <div className="muted">{module.name}</div> : null}
                      {module.notes.map((note) => (
                        <div key={note} className="muted bus__hint">
                          {note}
                        </div>
                      ))}
                    </td>
                    <td className="mono">{module.firmwareVersion ?? '—'}</td>
                    <td className="mono">{module.hardwareVersion ?? '—'}</td>
                    <td className="mono">{hexWord(module.status)}</td>
                    <td className={`mono${module.error ? ' bus__bad' : ''}`} data-testid="module-error">
                      {hexWord(module.error)}
                    </td>
                    <td className="mono">{module.latencyMs === null ? '—' : `${module.latencyMs.toFixed(1)} ms`}</td>
                    <td>
                      <button
                        type="button"
                        className="button button--small"
                        aria-pressed={module.address === slave}
                        onClick={() => selectSlave(module.address)}
                        data-testid="module-open"
                      >
                        {t('bus.scan.open')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.suspects.length > 0 ? (
            <div className="notice notice--attention" data-testid="scan-suspects">
              <p className="notice__title">{t('bus.scan.suspects')}</p>
              <ul>
                {result.suspects.map((suspect) => (
                  <li key={suspect.address}>
                    <span className="mono">{suspect.address}</span>:{' '}
                    {suspect.possibleDuplicate ? <strong>{t('bus.scan.duplicate')} </strong> : null}
                    {suspect.reason}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {result.expectedMissing.length > 0 && bus !== null ? (
            <div className="notice notice--attention" data-testid="scan-expected-missing">
              <p>
                {t('bus.scan.expectedMissing', {
                  modules: result.expectedMissing
                    .map((m) => `${m.address} (${t(`bus.module.${m.moduleType}`)})`)
                    .join(', '),
                  probe: Math.round(result.probeTimeoutMs),
                })}
              </p>
              <button
                type="button"
                className="button"
                disabled={isScanning}
                onClick={() => void scanThoroughly(result.expectedMissing.map((m) => m.address))}
                data-testid="scan-thorough"
              >
                {t('bus.scan.thorough', { timeout: bus.settings.timeoutMs, retries: bus.settings.retries })}
              </button>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
