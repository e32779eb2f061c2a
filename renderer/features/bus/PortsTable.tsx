import { useMemo } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';

/** The CH340 USB-RS485 adapter most technicians carry. */
const CH340 = '1a86:7523';

export type PortRow = {
  path: string;
  vidPid: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
  hint: string | null;
  busId: string | null;
  isSimulated: boolean;
};

/** The real ports and the simulators' ports not already among them, each with the bus holding it. */
export function usePortRows(): { rows: PortRow[] } {
  const ports = useBus((state) => state.ports);
  const sims = useBus((state) => state.sims);
  const buses = useBus((state) => state.buses);
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
  return { rows };
}

/** The serial ports to choose from: path, adapter, maker, serial number; which is held or simulated. */
export function PortsTable({ rows }: { rows: readonly PortRow[] }) {
  const { t } = useI18n();
  return (
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
          <PortRowView key={row.path} row={row} />
        ))}
      </tbody>
    </table>
  );
}

function PortRowView({ row }: { row: PortRow }) {
  const { t } = useI18n();
  const selectedPort = useBus((state) => state.selectedPort);
  const { selectPort } = useBus((state) => state.actions);
  return (
    <tr data-testid="port-row" data-path={row.path} data-held={row.busId !== null}>
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
  );
}
