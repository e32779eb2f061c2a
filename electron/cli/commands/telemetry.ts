import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { EventPayload } from '../../../shared/ipc/contract';
import { boolOption, decimalNumber, parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore } from '../openCore';

export const TELEMETRY_USAGE =
  'ohtw telemetry NAME [--interval S] [--json]   (live CPU, memory, disk, motor and firmware until Ctrl-C)';

const MIN_INTERVAL_S = 0.5;
const MAX_INTERVAL_S = 600;

type Batch = EventPayload<'telemetry.samples'>;

/** Streams a unit's live telemetry: one line per sample (or one JSON object per line) until Ctrl-C. */
export async function telemetryCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, { interval: { type: 'string' } });
  const [name, ...extra] = parsed.positionals;
  if (name === undefined || extra.length > 0) {
    throw new UsageError('telemetry needs exactly one unit NAME');
  }
  const intervalMs = intervalOption(stringOption(parsed, 'interval'));
  const isJson = boolOption(parsed, 'json');
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    const printer = new SamplePrinter(io, name, isJson);
    let streamId: string | null = null;
    // A batch can only come after start() answered, but nothing is lost if one ever overtakes the answer.
    const early: Batch[] = [];
    const unsubscribe = session.api.on('telemetry.samples', (batch) => {
      if (streamId === null) {
        early.push(batch);
      } else if (batch.streamId === streamId) {
        printer.print(batch);
      }
    });
    try {
      streamId = (await session.api.call('telemetry.start', { name, intervalMs })).streamId;
      if (!isJson) {
        io.out(`Live telemetry of ${name} every ${intervalMs / 1000} s. Press Ctrl-C to stop.`);
      }
      early.filter((batch) => batch.streamId === streamId).forEach((batch) => printer.print(batch));
      await io.waitForStop();
      await session.api.call('telemetry.stop', { streamId });
      return 0;
    } finally {
      unsubscribe();
    }
  } finally {
    await session.core.close();
  }
}

function intervalOption(raw: string | undefined): number {
  if (raw === undefined) {
    return 2_000;
  }
  const seconds = decimalNumber(raw);
  if (seconds === null || seconds < MIN_INTERVAL_S || seconds > MAX_INTERVAL_S) {
    throw new UsageError(`--interval must be seconds from ${MIN_INTERVAL_S} to ${MAX_INTERVAL_S}, not "${raw}"`);
  }
  return Math.round(seconds * 1000);
}

class SamplePrinter {
  private lastProblems = '';

  constructor(
    private readonly io: CliIo,
    private readonly unit: string,
    private readonly isJson: boolean,
  ) {}

  print(batch: Batch): void {
    if (batch.dropped > 0) {
      this.io.err(`(${batch.dropped} samples skipped: the terminal did not keep up)`);
    }
    for (const sample of batch.samples) {
      if (this.isJson) {
        this.io.out(JSON.stringify({ unit: this.unit, ...sample }));
        continue;
      }
      this.io.out(formatSample(sample));
      // A problem is said when it starts or changes, not again on every line while it lasts.
      const problems = (sample.problems ?? []).join('\n');
      if (problems !== this.lastProblems && problems !== '') {
        this.io.out((sample.problems ?? []).map((p) => `  ! ${p}`).join('\n'));
      }
      this.lastProblems = problems;
    }
  }
}

/** `2025-01-06 10:00:02  cpu  12.3 %  mem  45.6 %  disk  30 %  motor 1200 @ 41.5 °C  firmware up  35 ms` */
export function formatSample(sample: TelemetrySample): string {
  const m = sample.metrics;
  const num = (value: number | undefined, width: number, digits = 1): string =>
    (value === undefined ? '—' : value.toFixed(digits)).padStart(width);
  const firmware = m['firmware.up'] === undefined ? '—' : m['firmware.up'] === 1 ? 'up' : 'DOWN';
  const parts = [
    localTime(sample.at),
    `cpu ${num(m['cpu.percent'], 5)} %`,
    `mem ${num(m['memory.percent'], 5)} %`,
    `disk ${num(m['disk.percent'], 3, 0)} %`,
    `motor ${num(m['backend.motor_speed'], 6, 0)} @ ${num(m['backend.motor_temperature'], 5)} °C`,
    `firmware ${firmware.padEnd(4)}`,
    `${num(m['sample.latencyMs'], 5, 0)} ms`,
  ];
  return parts.join('  ');
}

function localTime(atMs: number): string {
  const d = new Date(atMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
