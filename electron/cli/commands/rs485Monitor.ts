import { characterFormatName, exportFormatFor, frameLine } from '../../../shared/domain/rs485Text';
import { AppError } from '../../../shared/errors/AppError';
import type { BusFrameView } from '../../../shared/ipc/contracts/rs485';
import { boolOption, stringOption, type Parsed } from '../args';
import type { CliIo } from '../io';
import type { CliSession } from '../openCore';
import { busFrom, withSession, type CliBus, type Rs485SessionDeps } from './rs485Session';

/**
 * `ohtw rs485 monitor`: the core's listen-only monitor of a port (rs485.monitor.start), its frames as they come
 * (rs485.frames) until Ctrl-C or until the port goes away (rs485.monitorEnded), then the export the core writes.
 */

/** Frames kept for --export; the newest win. */
const CAPACITY = 100_000;

function frameJson(frame: BusFrameView): string {
  return JSON.stringify({
    at: new Date(frame.at).toISOString(),
    direction: frame.direction,
    bytes: frame.hex.toLowerCase(),
    crcOk: frame.crcOk,
    meaning: frame.meaning,
  });
}

/** Prints the monitor's frames until stopped or ended; the reason the port ended, or null when stopped. */
async function printFrames(session: CliSession, io: CliIo, monitorId: string, json: boolean): Promise<string | null> {
  const offFrames = session.api.on('rs485.frames', (batch) => {
    if (batch.monitorId !== monitorId) {
      return;
    }
    for (const frame of batch.frames) {
      io.out(json ? frameJson(frame) : frameLine(frame));
    }
    if (batch.dropped > 0) {
      io.err(`(${batch.dropped} frame(s) came too fast to print; they are kept for --export)`);
    }
  });
  let offEnded = (): void => undefined;
  try {
    return await new Promise<string | null>((resolve) => {
      offEnded = session.api.on('rs485.monitorEnded', (ended) => {
        if (ended.monitorId === monitorId) {
          resolve(ended.reason);
        }
      });
      void io.waitForStop().then(() => resolve(null));
    });
  } finally {
    // Stopping flushes the frames still pending, so they are printed before the listeners go.
    await session.api.call('rs485.monitor.stop', { monitorId });
    offEnded();
    offFrames();
  }
}

async function listen(session: CliSession, io: CliIo, bus: CliBus, parsed: Parsed): Promise<number> {
  const exportPath = stringOption(parsed, 'export');
  const json = boolOption(parsed, 'json');
  const source = { kind: 'listen' as const, port: bus.port, settings: bus.settings };
  const { monitorId } = await session.api.call('rs485.monitor.start', { source, capacity: CAPACITY });
  if (!json) {
    io.out(
      `Listening on ${bus.port} (${characterFormatName(bus.settings)}); this sends nothing. Press Ctrl-C to stop.`,
    );
  }
  const lost = await printFrames(session, io, monitorId, json);
  if (exportPath !== undefined) {
    const saved = await session.api.call('rs485.monitor.export', {
      monitorId,
      format: exportFormatFor(exportPath),
      path: exportPath,
    });
    io.err(`Saved ${saved.frames} frame(s) to ${exportPath}.`);
  }
  if (lost !== null) {
    throw new AppError('SERIAL_PORT_CLOSED', lost, { details: { path: bus.port } });
  }
  return 0;
}

export async function monitorCommand(parsed: Parsed, io: CliIo, deps: Rs485SessionDeps): Promise<number> {
  const bus = busFrom(parsed);
  return withSession(parsed, io, deps, (session) => listen(session, io, bus, parsed));
}
