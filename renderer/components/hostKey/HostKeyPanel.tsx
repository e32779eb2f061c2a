import { useEffect, useState } from 'react';

import { ErrorNotice } from '../ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { hostKeyContext, useHostKey } from './hostKeyContext';
import { createHostKeyStore } from './hostKeyStore';
import { HostKeyProbeView } from './HostKeyProbeView';
import './hostKey.css';

type Props = {
  unit: string;
  /** Called once the key is pinned, so the owner can refresh what it shows about the unit. */
  onTrusted?: (() => void) | undefined;
};

/** Probes the unit's host key as soon as it is shown, then lets the technician compare and trust it. */
export function HostKeyPanel({ unit, onTrusted }: Props) {
  const api = useApi();
  const [store] = useState(() => createHostKeyStore(api, unit));
  useEffect(() => {
    void store.getState().actions.probe();
  }, [store]);
  useEffect(
    () =>
      store.subscribe((state, previous) => {
        if (state.status === 'trusted' && previous.status !== 'trusted') {
          onTrusted?.();
        }
      }),
    [store, onTrusted],
  );
  return (
    <hostKeyContext.Context value={store}>
      <HostKeyBody />
    </hostKeyContext.Context>
  );
}

function HostKeyBody() {
  const { t } = useI18n();
  const status = useHostKey((state) => state.status);
  const error = useHostKey((state) => state.error);
  const probe = useHostKey((state) => state.actions.probe);

  return (
    <section className="hostkey" data-testid="hostkey-panel" aria-busy={status === 'probing'}>
      <h2 className="section-title">{t('hostKey.title')}</h2>
      {status === 'probing' ? (
        <p className="muted" role="status">
          {t('hostKey.probing')}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} testId="hostkey-error" onRetry={() => void probe()} /> : null}
      <HostKeyProbeView />
    </section>
  );
}
