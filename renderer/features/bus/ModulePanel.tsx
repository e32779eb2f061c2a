import { useId, useMemo, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { unitForCalls } from './busStore';
import { MapNotes } from './MapNotes';
import { ModuleHead } from './ModuleHead';
import { RegistersTable } from './RegistersTable';
import { RegisterTools } from './RegisterTools';
import { filterRegisters, type RawFormat } from './registerView';
import { useModuleReading } from './useModuleReading';
import { WriteDialog, type WriteRequest } from './WriteDialog';

/** One module's registers decoded by its map, refreshing live (pausable), with the safe-write entry points. */
export function ModulePanel({ busId, slave }: { busId: string; slave: number }) {
  const { t } = useI18n();
  const unit = useBus(unitForCalls);
  const [isPaused, setPaused] = useState(false);
  const [request, setRequest] = useState<WriteRequest | null>(null);
  const { reading, error, reads, readNow } = useModuleReading(busId, slave, isPaused || request !== null);
  const [filter, setFilter] = useState('');
  const [rawFormat, setRawFormat] = useState<RawFormat>('hex');
  const shown = useMemo(() => (reading ? filterRegisters(reading.registers, filter) : []), [reading, filter]);
  const id = useId();

  return (
    <section
      className="panel bus__module"
      aria-labelledby={`${id}-title`}
      data-testid="module-panel"
      data-slave={slave}
      data-reads={reads}
    >
      <ModuleHead
        titleId={`${id}-title`}
        slave={slave}
        reading={reading}
        isPaused={isPaused}
        onTogglePause={() => setPaused((paused) => !paused)}
        onReadNow={readNow}
        onRequest={setRequest}
      />
      {reading ? <MapNotes profile={reading.profile} /> : null}
      {error ? <ErrorNotice error={error} testId="module-error-notice" onRetry={readNow} /> : null}
      {reading === null && !error ? <p className="muted">{t('bus.module.reading')}</p> : null}
      {reading && reading.notes.length > 0 ? (
        <ul className="notice notice--attention bus__notes">
          {reading.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      {reading ? (
        <RegisterTools
          filter={filter}
          onFilter={setFilter}
          rawFormat={rawFormat}
          onRawFormat={setRawFormat}
          shown={shown.length}
          total={reading.registers.length}
        />
      ) : null}
      {reading && shown.length === 0 ? (
        <p className="empty" data-testid="registers-no-match">
          {t('bus.reg.noMatch', { filter })}
        </p>
      ) : null}
      {reading && shown.length > 0 ? (
        <RegistersTable
          registers={shown}
          rawFormat={rawFormat}
          onWrite={(register) => setRequest({ action: 'write', register: register.name })}
        />
      ) : null}
      {request && reading ? (
        <WriteDialog
          busId={busId}
          slave={slave}
          reading={reading}
          unit={unit}
          request={request}
          onClose={() => {
            setRequest(null);
            readNow();
          }}
        />
      ) : null}
    </section>
  );
}
