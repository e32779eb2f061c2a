import type { SerialPortView } from '../../../shared/ipc/contracts/rs485';
import { boolOption, type Parsed } from '../args';
import type { CliIo } from '../io';
import { withSession, type Rs485SessionDeps } from './rs485Session';
import { table } from './rs485Text';

/** `ohtw rs485 ports [--watch]`: the core's port list (rs485.ports) and its hot-plug events (rs485.portsChanged). */

/** A port as the command line shows it: which bus holds it is for the pages, not for a fresh CLI core. */
type PortEntry = Omit<SerialPortView, 'busId'>;

const entry = ({ busId: _busId, ...port }: SerialPortView): PortEntry => port;

function portsTable(ports: readonly PortEntry[]): string {
  if (ports.length === 0) {
    return 'No serial ports found. Plug in the USB-RS485 adapter (the CH340 is 1a86:7523).';
  }
  const rows = ports.map((p) => [p.path, p.vidPid ?? '-', p.manufacturer ?? '', p.serialNumber ?? '', p.hint ?? '']);
  return table(['PATH', 'VID:PID', 'MANUFACTURER', 'SERIAL', 'NOTE'], rows);
}

const portLine = (p: PortEntry): string =>
  [p.path, p.vidPid ?? '', p.manufacturer ?? '', p.serialNumber ? `serial ${p.serialNumber}` : '', p.hint ?? '']
    .filter((part) => part !== '')
    .join('  ');

export async function portsCommand(parsed: Parsed, io: CliIo, deps: Rs485SessionDeps): Promise<number> {
  const json = boolOption(parsed, 'json');
  const watch = boolOption(parsed, 'watch');
  return withSession(parsed, io, deps, async (session) => {
    const off = watch
      ? session.api.on('rs485.portsChanged', (event) => {
          const port = entry(event.port);
          io.out(
            json
              ? JSON.stringify({ event: event.kind, port })
              : `${event.kind === 'added' ? '+' : '-'} ${portLine(port)}`,
          );
        })
      : () => undefined;
    try {
      const ports = (await session.api.call('rs485.ports', {})).map(entry);
      if (!watch) {
        io.out(json ? JSON.stringify({ ports }, null, 2) : portsTable(ports));
        return 0;
      }
      if (json) {
        for (const port of ports) {
          io.out(JSON.stringify({ event: 'present', port }));
        }
      } else {
        io.out(portsTable(ports));
        io.out('Watching for adapters being plugged in or pulled out. Press Ctrl-C to stop.');
      }
      await io.waitForStop();
      return 0;
    } finally {
      off();
    }
  });
}
