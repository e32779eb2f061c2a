import { useI18n } from '../../i18n/I18nProvider';
import { useHostKey } from './hostKeyContext';
import { hostKeyCommand } from './hostKeyCommand';

/** The presented key and what to do about it: compare and trust, already trusted, or a hard stop on mismatch. */
export function HostKeyProbeView() {
  const { t } = useI18n();
  const probe = useHostKey((state) => state.probe);
  const status = useHostKey((state) => state.status);
  const trusted = useHostKey((state) => state.trusted);
  const { trust, probe: probeAgain } = useHostKey((state) => state.actions);

  if (!probe || status === 'probing') {
    return null;
  }
  return (
    <div
      className={`hostkey__probe hostkey__probe--${probe.status}`}
      data-testid="hostkey-probe"
      data-status={probe.status}
    >
      <p>{t('hostKey.presented')}</p>
      <dl className="hostkey__facts">
        <dt>{t('hostKey.algorithm')}</dt>
        <dd className="mono" data-testid="hostkey-algorithm">
          {probe.algorithm}
        </dd>
        <dt>{t('hostKey.fingerprint')}</dt>
        <dd className="mono hostkey__fingerprint" data-testid="hostkey-fingerprint">
          {probe.fingerprint}
        </dd>
        {probe.status === 'mismatch' && probe.pinnedFingerprint ? (
          <>
            <dt>{t('hostKey.pinned')}</dt>
            <dd className="mono hostkey__fingerprint" data-testid="hostkey-pinned">
              {probe.pinnedFingerprint}
            </dd>
          </>
        ) : null}
      </dl>

      {probe.status === 'unknown' && status !== 'trusted' ? (
        <>
          <p>{t('hostKey.explain')}</p>
          <pre className="command">{hostKeyCommand(probe.algorithm)}</pre>
          <div className="toolbar">
            <button
              type="button"
              className="button button--primary"
              data-testid="trust-button"
              disabled={status === 'trusting'}
              onClick={() => void trust()}
            >
              {status === 'trusting' ? t('hostKey.trusting') : t('hostKey.trust')}
            </button>
            <button type="button" className="button" onClick={() => void probeAgain()}>
              {t('hostKey.probeAgain')}
            </button>
          </div>
        </>
      ) : null}

      {probe.status === 'trusted' ? (
        <p className="notice notice--ok" data-testid="hostkey-already-trusted">
          {t('hostKey.alreadyTrusted')}
        </p>
      ) : null}

      {probe.status === 'mismatch' ? (
        <p className="notice notice--error" role="alert" data-testid="hostkey-mismatch">
          {t('hostKey.mismatch')}
        </p>
      ) : null}

      {trusted ? (
        <p className="notice notice--ok" role="status" data-testid="trust-result" data-status={trusted.status}>
          {t('hostKey.trusted')} <span className="mono">{trusted.fingerprint}</span>
        </p>
      ) : null}
    </div>
  );
}
