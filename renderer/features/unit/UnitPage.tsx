import { useEffect, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useLiveStatus } from '../../platform/LiveStatusProvider';
import { UnitBackupsSummary } from '../backups';
import { UnitChanges } from '../changes';
import { UnitRuns } from '../procedures';
import { TelemetryPanel } from '../telemetry';
import { HealthReport } from './HealthReport';
import { HistoryList } from './HistoryList';
import { HostKeyNotice } from './HostKeyNotice';
import { unitContext, useUnit } from './unitContext';
import { UnitHeader } from './UnitHeader';
import { createUnitStore } from './unitStore';
import './unit.css';

/** One unit: its latest health tree, a Diagnose button and its history. Mount with key={name}. */
export function UnitPage({ name }: { name: string }) {
  const api = useApi();
  const [store] = useState(() => createUnitStore(api, name));
  const { generation } = useLiveStatus();
  // As in FleetProvider: after a reconnection, resubscribe and refetch what the lost events would have changed.
  useEffect(() => store.getState().actions.connect(), [store, generation]);
  return (
    <unitContext.Context value={store}>
      <UnitLayout />
    </unitContext.Context>
  );
}

function UnitLayout() {
  const { t } = useI18n();
  const name = useUnit((state) => state.name);
  const unit = useUnit((state) => state.unit);
  const isMissing = useUnit((state) => state.isMissing);
  const loadError = useUnit((state) => state.loadError);
  const refresh = useUnit((state) => state.actions.refresh);

  return (
    <section className="page" data-testid="unit-page">
      {loadError ? <ErrorNotice error={loadError} testId="unit-error" onRetry={() => void refresh()} /> : null}
      {isMissing ? (
        <p className="notice notice--error" data-testid="unit-missing">
          {t('unit.notFound', { name })}
        </p>
      ) : null}
      {!unit && !isMissing && !loadError ? <p className="muted">{t('unit.loading')}</p> : null}
      {unit ? (
        <>
          <UnitHeader unit={unit} />
          {unit.hostKey ? null : <HostKeyNotice unit={unit.name} />}
          <UnitChanges />
          <div className="unit__columns">
            <HealthReport />
            <HistoryList />
          </div>
          {/* Live values need a trusted host key to connect; until then the notice above says what to do. */}
          {unit.hostKey ? <TelemetryPanel name={unit.name} /> : null}
          <UnitBackupsSummary name={unit.name} />
          <UnitRuns unit={unit.name} />
        </>
      ) : null}
    </section>
  );
}
