import { useId, useMemo, useState } from 'react';

import { describeChange } from '../../../shared/domain/jsonDiff';
import type { ModuleReading, RegisterReading } from '../../../shared/ipc/contracts/rs485';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { unitForCalls } from './busStore';
import { moduleTypeKey } from './moduleText';
import { filterRegisters, formatRaw, RAW_FORMATS, type RawFormat } from './registerView';
import { useModuleReading } from './useModuleReading';
import { WriteDialog, type WriteRequest } from './WriteDialog';

/** One module's registers decoded by its map, refreshing live (pausable), with the safe-write entry points. */
export function ModulePanel({ busId, slave }: { busId: string; slave: number }) {
  const { t, time } = useI18n();
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
      <header className="panel__head">
        <h2 className="section-title" id={`${id}-title`}>
          {reading
            ? t('bus.module.title', { module: t(moduleTypeKey(reading.type)), address: slave })
            : t('bus.module.titleAddress', { address: slave })}
        </h2>
        {reading ? (
          <span className="muted" data-testid="module-profile">
            {t('bus.module.profile', {
              title: reading.profile.title,
              version: reading.profile.version,
              time: time(reading.readAt),
            })}
          </span>
        ) : null}
        {reading && reading.profile.source === 'user' ? (
          <span className="tag tag--attention" data-testid="module-profile-user">
            {reading.profile.supersedes
              ? t('bus.module.mapSupersedes', { version: reading.profile.supersedes.version })
              : t('bus.module.mapUser')}
          </span>
        ) : null}
        <span className="bus__spacer" />
        <span
          className={`tag ${isPaused ? 'tag--attention' : 'tag--ok'}`}
          data-testid="module-live"
          data-paused={isPaused}
        >
          {isPaused ? t('bus.module.paused') : t('bus.module.live')}
        </span>
        <button
          type="button"
          className="button button--small"
          aria-pressed={isPaused}
          onClick={() => setPaused((paused) => !paused)}
          data-testid="module-pause"
        >
          {isPaused ? t('bus.module.resume') : t('bus.module.pause')}
        </button>
        {isPaused ? (
          <button type="button" className="button button--small" onClick={readNow} data-testid="module-read-now">
            {t('bus.module.readNow')}
          </button>
        ) : null}
        <button
          type="button"
          className="button button--small"
          disabled={reading === null}
          onClick={() => setRequest({ action: 'write', register: null })}
          data-testid="module-write"
        >
          {t('bus.module.write')}
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={reading === null}
          onClick={() => setRequest({ action: 'clearErrors', register: null })}
          data-testid="module-clear-errors"
        >
          {t('bus.module.clearErrors')}
        </button>
      </header>
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
        <div className="bus__scroll bus__scroll--registers">
          <table className="bus-table bus-table--registers" data-testid="registers-table">
            <thead>
              <tr>
                <th scope="col">{t('bus.reg.address')}</th>
                <th scope="col">{t('bus.reg.name')}</th>
                <th scope="col">{t('bus.reg.value')}</th>
                <th scope="col">{t('bus.reg.raw')}</th>
                <th scope="col">{t('bus.reg.access')}</th>
                <th scope="col">{t('bus.reg.meaning')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('bus.reg.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((register) => (
                <RegisterRow
                  key={register.address}
                  register={register}
                  rawFormat={rawFormat}
                  onWrite={() => setRequest({ action: 'write', register: register.name })}
                />
              ))}
            </tbody>
          </table>
        </div>
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

type RegisterToolsProps = {
  filter: string;
  onFilter: (filter: string) => void;
  rawFormat: RawFormat;
  onRawFormat: (format: RawFormat) => void;
  shown: number;
  total: number;
};

/** The filter over a module's registers and the form its raw words are written in. */
function RegisterTools({ filter, onFilter, rawFormat, onRawFormat, shown, total }: RegisterToolsProps) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="bus__reg-tools">
      <label className="bus__reg-filter" htmlFor={`${id}-filter`}>
        {t('bus.reg.filter')}
      </label>
      <input
        id={`${id}-filter`}
        type="search"
        className="input"
        value={filter}
        placeholder={t('bus.reg.filterHint')}
        onChange={(event) => onFilter(event.target.value)}
        data-testid="register-filter"
      />
      <span className="muted" data-testid="registers-shown" data-shown={shown} data-total={total}>
        {t('bus.reg.shown', { shown, total })}
      </span>
      <span className="bus__spacer" />
      <div className="segmented" role="radiogroup" aria-label={t('bus.reg.format')}>
        {RAW_FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            role="radio"
            aria-checked={format === rawFormat}
            className={`segmented__item${format === rawFormat ? ' segmented__item--on' : ''}`}
            onClick={() => onRawFormat(format)}
            data-testid={`raw-format-${format}`}
          >
            {t(`bus.reg.format.${format}`)}
          </button>
        ))}
      </div>
    </div>
  );
}

type RegisterRowProps = { register: RegisterReading; rawFormat: RawFormat; onWrite: () => void };

function RegisterRow({ register, rawFormat, onWrite }: RegisterRowProps) {
  const { t } = useI18n();
  const isWritable = register.access !== 'R';
  return (
    <tr
      data-testid={`reg-${register.name}`}
      data-level={register.level ?? ''}
      data-raw={register.rawHex ?? ''}
      className={
        register.level === 'ERROR'
          ? 'bus-table__row--error'
          : register.level === 'WARN'
            ? 'bus-table__row--warn'
            : undefined
      }
    >
      <td className="mono">{register.addressHex}</td>
      <td>
        <span className="bus__reg-label">{register.label}</span>
        <span className="mono muted bus__reg-name">{register.name}</span>
        {register.safetyCritical ? (
          <span className="tag tag--danger" data-testid="safety-critical">
            {t('bus.reg.safetyCritical')}
          </span>
        ) : null}
      </td>
      <td className="bus__value" data-testid="reg-value">
        {register.failure !== null ? (
          <span className="bus__bad">{register.failure}</span>
        ) : (
          <>
            {register.text ?? '—'}
            {register.level && register.level !== 'OK' ? (
              <>
                {' '}
                <LevelChip level={register.level} />
              </>
            ) : null}
          </>
        )}
      </td>
      <td className="mono" data-testid="reg-raw">
        {rawFormat === 'hex' ? (register.rawHex ?? '—') : formatRaw(register.raw, rawFormat)}
      </td>
      <td>
        <span className={`access access--${register.access.toLowerCase()}`} title={t(accessKey(register.access))}>
          {register.access}
        </span>
      </td>
      <td className="bus__meaning">
        {register.meaning ? <div>{register.meaning}</div> : null}
        {register.bits ? (
          <ul className="bus__bits" aria-label={t('bus.reg.bits')}>
            {register.bits.map((bit) => (
              <li key={bit.bit} className={bit.set ? 'bus__bit bus__bit--set' : 'bus__bit'} data-set={bit.set}>
                <span className="mono">{bit.bit}</span> {bit.name}
              </li>
            ))}
          </ul>
        ) : null}
        {register.enumValues && !register.bits ? (
          <span className="muted bus__enum">
            {register.enumValues.map((entry) => `${entry.value} ${entry.name}`).join(' · ')}
          </span>
        ) : null}
        {register.reasons.map((reason) => (
          <div key={reason} className="bus__reason">
            {reason}
          </div>
        ))}
      </td>
      <td>
        {isWritable ? (
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={onWrite}
            aria-label={t('bus.reg.writeOne', { name: register.label })}
            data-testid="reg-write"
          >
            {t('bus.reg.write')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function accessKey(access: RegisterReading['access']) {
  switch (access) {
    case 'R':
      return 'bus.access.R' as const;
    case 'RW':
      return 'bus.access.RW' as const;
    case 'W':
      return 'bus.access.W' as const;
  }
}

/** A technician's map: what it changes from the shipped one, and the safety flags the workstation kept. */
function MapNotes({ profile }: { profile: ModuleReading['profile'] }) {
  const { t } = useI18n();
  if (profile.source !== 'user' || (profile.supersedes === null && profile.keptFlags.length === 0)) {
    return null;
  }
  return (
    <details className="notice notice--attention" data-testid="module-map-notes">
      <summary>
        {profile.supersedes
          ? t('bus.module.mapChanges', { count: profile.supersedes.changes.length, file: profile.supersedes.file })
          : t('bus.module.mapUser')}
      </summary>
      {profile.keptFlags.length > 0 ? (
        <>
          <p>{t('bus.module.keptFlags')}</p>
          <ul className="mono" data-testid="module-kept-flags">
            {profile.keptFlags.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
      {profile.supersedes && profile.supersedes.changes.length > 0 ? (
        <ul className="mono" data-testid="module-map-changes">
          {profile.supersedes.changes.map((change) => (
            <li key={change.path}>{describeChange(change)}</li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
