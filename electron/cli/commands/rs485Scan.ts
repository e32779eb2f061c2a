import type { JsonValue } from '../../../shared/errors/AppError';
import type { ScanResultView } from '../../../shared/ipc/contracts/rs485';
import { characterFormatName, hex4, hexByte } from '../../../shared/domain/rs485Text';
import { boolOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { addressesOption, withBus, withSession, type CliBus, type Rs485SessionDeps } from './rs485Session';
import { numberOption, table } from './rs485Text';

/**
 * `ohtw rs485 scan`: through the core's bus service, as the bus page scans, so that the two cannot differ: the
 * bus is connected with the command line's settings, scanned, and released.
 */

const hexWord = (n: number | null): string => (n === null ? '-' : hex4(n));

function scanJson(result: ScanResultView): Record<string, JsonValue> {
  const duplicates = result.modules
    .filter((m) => m.possibleDuplicate)
    .map((m) => ({
      address: m.address,
      reason: 'more replies than requests: two modules may share this address',
      possibleDuplicate: true,
    }));
  return {
    port: result.port,
    baud: result.baud,
    durationMs: Math.round(result.durationMs),
    probeTimeoutMs: result.probeTimeoutMs,
    thorough: result.thorough,
    modules: result.modules.map((m) => ({
      address: m.address,
      type: m.type,
      typeName: m.typeName,
      firmwareVersion: m.firmwareVersion,
      hardwareVersion: m.hardwareVersion,
      status: m.status,
      error: m.error,
      ...(m.lateMs === null ? {} : { lateMs: Math.round(m.lateMs) }),
    })),
    suspects: [
      ...result.suspects.map((s) => ({ address: s.address, reason: s.reason, possibleDuplicate: s.possibleDuplicate })),
      ...duplicates,
    ],
    expectedMissing: result.expectedMissing,
  };
}

function scanText({ port, settings }: CliBus, result: ScanResultView): string {
  const lines: string[] = [];
  const range = result.from === result.to ? hexByte(result.from) : `${result.from}–${result.to}`;
  if (result.modules.length === 0) {
    lines.push(
      `No module answered at ${range}. Check the wiring (A/B), power to the modules, the baud rate (--baud) and the termination.`,
    );
  } else {
    lines.push(
      table(
        ['ADDR', 'TYPE', 'FIRMWARE', 'HARDWARE', 'STATUS', 'ERROR', 'NAME', 'NOTES'],
        result.modules.map((m) => [
          hexByte(m.address),
          m.typeInferred ? `${m.typeName} (by address)` : m.typeName,
          m.firmwareVersion ?? '-',
          m.hardwareVersion ?? '-',
          hexWord(m.status),
          hexWord(m.error),
          m.name ?? '-',
          [m.possibleDuplicate ? 'POSSIBLE DUPLICATE ADDRESS' : '', ...m.notes].filter((n) => n !== '').join('; '),
        ]),
      ),
    );
  }
  for (const suspect of result.suspects) {
    lines.push(
      `! ${hexByte(suspect.address)}: ${suspect.reason}${suspect.possibleDuplicate ? ' (possible duplicate address)' : ''}`,
    );
  }
  const seconds = (result.durationMs / 1000).toFixed(2);
  lines.push(
    `${result.modules.length} module(s) at ${range} on ${port} (${characterFormatName(settings)}) in ${seconds} s` +
      `${result.cancelled ? ', cancelled before the end' : ''}.`,
  );
  if (result.expectedMissing.length > 0) {
    const missing = result.expectedMissing.map((m) => `${hexByte(m.address)} (${m.moduleType})`).join(', ');
    const addresses = result.expectedMissing.map((m) => m.address).join(',');
    lines.push(
      `Expected but not found: ${missing}. The quick scan waited ${Math.round(result.probeTimeoutMs)} ms per address; ` +
        `to ask again with the bus's own timeout (${settings.timeoutMs} ms, ${settings.retries} retries): ` +
        `ohtw rs485 scan --port ${port} --thorough --address ${addresses}`,
    );
  }
  return lines.join('\n');
}

export async function scanCommand(parsed: Parsed, io: CliIo, bus: CliBus, deps: Rs485SessionDeps): Promise<number> {
  const from = numberOption(parsed, 'from', 1, 247) ?? 1;
  const to = numberOption(parsed, 'to', 1, 247) ?? 247;
  if (from > to) {
    throw new UsageError(`--from ${from} is above --to ${to}`);
  }
  const addresses = addressesOption(parsed);
  const thorough = boolOption(parsed, 'thorough');
  const json = boolOption(parsed, 'json');
  return withSession(parsed, io, deps, (session) =>
    withBus(session, bus, async ({ busId }) => {
      let lastReported = 0;
      const stopProgress = session.api.on('rs485.scanProgress', (progress) => {
        if (!json && progress.busId === busId && progress.done - lastReported >= 25 && progress.done < progress.total) {
          lastReported = progress.done;
          io.err(`… ${progress.done}/${progress.total} addresses, ${progress.found} found`);
        }
      });
      void io.waitForStop().then(() => session.api.call('rs485.scan.cancel', { busId }).catch(() => undefined));
      try {
        if (!json) {
          const where = addresses ? addresses.map(hexByte).join(', ') : `${from}–${to}`;
          const format = characterFormatName(bus.settings);
          io.out(`Scanning ${bus.port} (${format}) at ${where}${thorough ? ', thoroughly' : ''} …`);
        }
        const result = await session.api.call('rs485.scan', {
          busId,
          from,
          to,
          thorough,
          ...(addresses ? { addresses } : {}),
        });
        io.out(json ? JSON.stringify(scanJson(result), null, 2) : scanText(bus, result));
        return 0;
      } finally {
        stopProgress();
      }
    }),
  );
}
