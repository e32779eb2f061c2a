import { useId, useMemo } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { BAUD_RATES, checkDraft, type BusSettingsDraft, type BusSettingsField } from './busSettingsDraft';
import { isMasterSettled } from './busStore';

/** The CH340 USB-RS485 adapter most technicians carry. */
const CH340 = '1a86:7523';

type PortRow = {
  path: string;
  vidPid: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
  hint: string | null;
  busId: string | null;
  isSimulated: boolean;
};

/** The serial ports (hot-plug keeps the list current), the bus settings and the explicit Connect. */
export function PortsPanel() {
  const { t } = useI18n();
  const ports = useBus((state) => state.ports);
  const portsError = useBus((state) => state.portsError);
  const sims = useBus((state) => state.sims);
  const buses = useBus((state) => state.buses);
  const selectedPort = useBus((state) => state.selectedPort);
  const { selectPort, refresh } = useBus((state) => state.actions);
  const titleId = useId();

  const rows = useMemo<PortRow[]>(() => {
    const held = (path: string) => buses.find((bus) => bus.port === path)?.busId ?? null;
    const real = (ports ?? []).map((port) => ({ ...port, busId: port.busId ?? held(port.path), isSimulated: false }));
    const simulated = sims
      .filter((sim) => !real.some((port) => port.path === sim.port))
      .map((sim) => ({
        path: sim.port,
        vidPid: null,
        manufacturer: null,
        serialNumber: null,
        hint: null,
        busId: held(sim.port),
        isSimulated: true,
      }));
    return [...real, ...simulated];
  }, [ports, sims, buses]);

  return (
    <section className="panel bus__ports" aria-labelledby={titleId} data-testid="bus-ports">
      <header className="panel__head">
        <h2 className="section-title" id={titleId}>
          {t('bus.ports.title')}
        </h2>
        <button
          type="button"
          className="button button--small button--quiet"
          onClick={() => void refresh()}
          data-testid="ports-refresh"
        >
          {t('bus.ports.refresh')}
        </button>
      </header>
      {portsError ? <ErrorNotice error={portsError} testId="ports-error" onRetry={() => void refresh()} /> : null}
      {ports === null && !portsError ? <p className="muted">{t('bus.ports.loading')}</p> : null}
      {ports !== null && rows.length === 0 ? (
        <p className="empty" data-testid="ports-empty">
          {t('bus.ports.empty')}
        </p>
      ) : null}
      {rows.length > 0 ? (
        <table className="bus-table" data-testid="ports-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t('bus.ports.choose')}</span>
              </th>
              <th scope="col">{t('bus.ports.path')}</th>
              <th scope="col">{t('bus.ports.vidPid')}</th>
              <th scope="col">{t('bus.ports.manufacturer')}</th>
              <th scope="col">{t('bus.ports.serial')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.path} data-testid="port-row" data-path={row.path} data-held={row.busId !== null}>
                <td>
                  <input
                    type="radio"
                    name="bus-port"
                    value={row.path}
                    checked={selectedPort === row.path}
                    onChange={() => selectPort(row.path)}
                    aria-label={t('bus.ports.chooseOne', { path: row.path })}
                    data-testid="port-choose"
                  />
                </td>
                <td>
                  <span className="mono">{row.path}</span>{' '}
                  {row.isSimulated ? <span className="tag tag--info">{t('bus.ports.simulated')}</span> : null}
                  {row.busId !== null ? (
                    <span className="tag tag--ok" data-testid="port-held">
                      {t('bus.ports.held')}
                    </span>
                  ) : null}
                  {row.hint ? <div className="muted bus__hint">{row.hint}</div> : null}
                </td>
                <td>
                  <span className="mono">{row.vidPid ?? '—'}</span>{' '}
                  {row.vidPid === CH340 ? (
                    <span className="tag tag--info" data-testid="port-ch340">
                      CH340
                    </span>
                  ) : null}
                </td>
                <td>{row.manufacturer ?? '—'}</td>
                <td className="mono">{row.serialNumber ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <SettingsForm />
    </section>
  );
}

function SettingsForm() {
  const { t } = useI18n();
  const draft = useBus((state) => state.draft);
  const selectedPort = useBus((state) => state.selectedPort);
  const hasTried = useBus((state) => state.hasTriedConnect);
  const isConnecting = useBus((state) => state.isConnecting);
  const connectError = useBus((state) => state.connectError);
  const buses = useBus((state) => state.buses);
  const isSettled = useBus(isMasterSettled);
  const { setDraft, connectBus } = useBus((state) => state.actions);
  const checked = useMemo(() => checkDraft(draft), [draft]);
  const problems = hasTried && !checked.ok ? checked.problems : {};
  const isHeld = buses.some((bus) => bus.port === selectedPort);

  return (
    <form
      className="bus__settings"
      data-testid="bus-settings"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void connectBus();
      }}
    >
      <h3 className="bus__subtitle">{t('bus.settings.title')}</h3>
      <div className="bus__fields">
        <SelectField
          label={t('bus.settings.baud')}
          field="baudRate"
          draft={draft}
          options={BAUD_RATES.map((rate) => [String(rate), String(rate)])}
          onChange={setDraft}
          problem={problems.baudRate}
        />
        <SelectField
          label={t('bus.settings.dataBits')}
          field="dataBits"
          draft={draft}
          options={[
            ['8', '8'],
            ['7', '7'],
          ]}
          onChange={setDraft}
          problem={problems.dataBits}
        />
        <SelectField
          label={t('bus.settings.parity')}
          field="parity"
          draft={draft}
          options={[
            ['none', t('bus.settings.parity.none')],
            ['even', t('bus.settings.parity.even')],
            ['odd', t('bus.settings.parity.odd')],
          ]}
          onChange={setDraft}
          problem={problems.parity}
        />
        <SelectField
          label={t('bus.settings.stopBits')}
          field="stopBits"
          draft={draft}
          options={[
            ['1', '1'],
            ['2', '2'],
          ]}
          onChange={setDraft}
          problem={problems.stopBits}
        />
        <NumberField
          label={t('bus.settings.timeout')}
          hint={t('bus.settings.timeoutHint')}
          field="timeoutMs"
          draft={draft}
          onChange={setDraft}
          problem={problems.timeoutMs}
        />
        <NumberField
          label={t('bus.settings.retries')}
          hint={t('bus.settings.retriesHint')}
          field="retries"
          draft={draft}
          onChange={setDraft}
          problem={problems.retries}
        />
        <NumberField
          label={t('bus.settings.gap')}
          hint={t('bus.settings.gapHint')}
          field="gapMs"
          draft={draft}
          onChange={setDraft}
          problem={problems.gapMs}
        />
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.echoSuppression}
          onChange={(event) => setDraft({ echoSuppression: event.target.checked })}
          data-testid="settings-echo"
        />
        {t('bus.settings.echo')}
      </label>
      {hasTried && !checked.ok ? (
        <p className="notice notice--error" role="alert" data-testid="settings-invalid">
          {t('bus.settings.invalid')}
        </p>
      ) : null}
      {connectError ? <ErrorNotice error={connectError} testId="connect-error" /> : null}
      <div className="toolbar">
        <button
          type="submit"
          className="button button--primary"
          disabled={selectedPort === '' || isConnecting || isHeld || !isSettled}
          data-testid="connect-button"
        >
          {isConnecting ? t('bus.connecting') : t('bus.connect')}
        </button>
        <span className="muted" data-testid="connect-hint">
          {selectedPort === ''
            ? t('bus.connectHint.noPort')
            : isHeld
              ? t('bus.connectHint.held', { path: selectedPort })
              : !isSettled
                ? t('bus.connectHint.master')
                : t('bus.connectHint.ready', { path: selectedPort })}
        </span>
      </div>
    </form>
  );
}

type FieldProps = {
  label: string;
  field: BusSettingsField;
  draft: BusSettingsDraft;
  onChange: (change: Partial<BusSettingsDraft>) => void;
  problem: string | undefined;
};

function SelectField({ label, field, draft, onChange, problem, options }: FieldProps & { options: string[][] }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className={`field${problem ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={draft[field]}
        onChange={(event) => onChange({ [field]: event.target.value })}
        data-testid={`settings-${field}`}
        aria-invalid={problem !== undefined}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {problem ? <span className="field__problem">{t('bus.settings.notAllowed')}</span> : null}
    </div>
  );
}

function NumberField({ label, hint, field, draft, onChange, problem }: FieldProps & { hint: string }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className={`field${problem ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={draft[field]}
        onChange={(event) => onChange({ [field]: event.target.value })}
        data-testid={`settings-${field}`}
        aria-invalid={problem !== undefined}
        aria-describedby={`${id}-hint`}
      />
      <span className="field__hint" id={`${id}-hint`}>
        {problem ? t('bus.settings.outOfRange', { hint }) : hint}
      </span>
    </div>
  );
}
