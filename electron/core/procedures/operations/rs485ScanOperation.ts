import type { BusInfo, ScanResultView } from '../../../../shared/ipc/contracts/rs485';
import type { Operation, OperationParams } from './registry';

/** The RS485 feature's buses and its scan, as the procedures' `rs485.scan` step calls them. */
export type Rs485Access = {
  buses(): Promise<BusInfo[]>;
  scan(busId: string, from: number, to: number): Promise<ScanResultView>;
};

const FIRST = 1;
const LAST = 247;

function range(params: OperationParams): { from: number; to: number } {
  const from = typeof params.from === 'number' ? params.from : FIRST;
  const to = typeof params.to === 'number' ? params.to : LAST;
  return { from, to };
}

function hex(address: number): string {
  return `0x${address.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The scan as a technician reads it in the run: who answered, who the maps expected and did not, what was garbled. */
function describeScan(result: ScanResultView): string {
  const found = result.modules.map(
    (m) => `  ${hex(m.address)} ${m.typeName}${m.firmwareVersion === null ? '' : ` (firmware ${m.firmwareVersion})`}`,
  );
  const missing = result.expectedMissing.map((m) => `  ${hex(m.address)} ${m.moduleType}: expected, did not answer`);
  const suspects = result.suspects.map((s) => `  ${hex(s.address)} ${s.code}: ${s.reason}`);
  return [
    `bus ${result.port} at ${result.baud} baud, addresses ${result.from}–${result.to}, ${Math.round(result.durationMs)} ms`,
    `answered (${result.modules.length}):`,
    ...(found.length > 0 ? found : ['  none']),
    ...(missing.length > 0 ? ['expected but silent:', ...missing] : []),
    ...(suspects.length > 0 ? ['garbled or foreign answers:', ...suspects] : []),
    ...(result.cancelled ? ['the scan was cancelled before its end'] : []),
  ].join('\n');
}

/**
 * The procedures' `rs485.scan` step, lent by the RS485 feature: a quick scan of the bus this laptop holds through
 * its USB-RS485 adapter (the one the procedure's previous step asked to wire to the vehicle's module bus), as its
 * master. The firmware polls the same bus, so the step's gate wants it stopped. With no bus open, or several, the step
 * says so and changes nothing: the technician opens the right one on the Bus page and runs the step again.
 */
export function rs485ScanOperation(access: Rs485Access): Operation {
  return {
    name: 'rs485.scan',
    plan(unit, params) {
      const { from, to } = range(params);
      return {
        summary:
          `scan addresses ${from}–${to} of the RS485 bus open on this laptop (the USB-RS485 adapter wired to ` +
          `${unit.name}'s module bus) as its master: each address asked for its device id (0x0100) and type (0x0104)`,
        commands: [{ line: `(the Bus page's scan, addresses ${from}–${to}, on the open adapter)`, sudo: false }],
        mutating: true,
        available: true,
        unavailableReason: null,
      };
    },
    async run({ params }) {
      const { from, to } = range(params);
      const buses = await access.buses();
      const [bus] = buses;
      if (bus === undefined || buses.length > 1) {
        const open = buses.map((b) => b.port).join(', ');
        return {
          ok: false,
          exitCode: null,
          message:
            bus === undefined
              ? 'no RS485 bus is open on this laptop: plug in the USB-RS485 adapter and open its port on the Bus page, then run this step again'
              : `several RS485 buses are open (${open}): release all but the adapter wired to this vehicle on the Bus page, then run this step again`,
          output: '',
        };
      }
      const result = await access.scan(bus.busId, from, to);
      const silent = result.expectedMissing.length;
      return {
        ok: !result.cancelled,
        exitCode: null,
        message: result.cancelled
          ? `the scan of ${bus.port} was cancelled`
          : `${result.modules.length} module(s) answered on ${bus.port}` +
            (silent > 0 ? `; ${silent} expected module(s) silent` : ''),
        output: describeScan(result),
      };
    },
  };
}
