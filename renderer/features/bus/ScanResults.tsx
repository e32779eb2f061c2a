import type { BusInfo, ScanResultView } from '../../../shared/ipc/contracts/rs485';
import { formatSeconds } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { ModulesTable } from './ModulesTable';

/** What the scan found: a summary, the modules, the suspects, and the expected modules it missed. */
export function ScanResults({ result }: { result: ScanResultView }) {
  const { t, language } = useI18n();
  const slave = useBus((state) => state.slave);
  const bus = useBus((state) => state.buses.find((candidate) => candidate.busId === state.busId) ?? null);
  const { selectSlave } = useBus((state) => state.actions);

  return (
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
        <ModulesTable modules={result.modules} slave={slave} onOpen={selectSlave} />
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
      {result.expectedMissing.length > 0 && bus !== null ? <ExpectedMissing result={result} bus={bus} /> : null}
    </>
  );
}

/** The expected modules a quick scan missed, and the offer to ask them again with the bus's own patience. */
function ExpectedMissing({ result, bus }: { result: ScanResultView; bus: BusInfo }) {
  const { t } = useI18n();
  const isScanning = useBus((state) => state.isScanning);
  const { scanThoroughly } = useBus((state) => state.actions);
  return (
    <div className="notice notice--attention" data-testid="scan-expected-missing">
      <p>
        {t('bus.scan.expectedMissing', {
          modules: result.expectedMissing.map((m) => `${m.address} (${t(`bus.module.${m.moduleType}`)})`).join(', '),
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
  );
}
