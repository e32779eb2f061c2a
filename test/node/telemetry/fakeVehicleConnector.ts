import { AppError } from '../../../shared/errors/AppError';
import type { Unit } from '../../../shared/domain/unit';
import { parseBatchScript } from '../../../electron/core/transport/parallelBatch';
import type { Connection, ExecOptions, ExecResult } from '../../../electron/core/transport/transport';
import type { UnitConnector } from '../../../electron/core/units/unitConnection';

export type ProbeAnswer = { stdout: string; exitCode: number };

/** What a fake vehicle answers for each command of a batch; unknown commands are "not found" (127). */
export type Answers = (command: string) => ProbeAnswer | undefined;

export const PROC_STAT = (busy: number, idle: number): string =>
  `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 ${busy} 0 0 ${idle} 0 0 0 0 0 0\nintr 1 2 3\n`;
export const MEMINFO = 'MemTotal:        8000000 kB\nMemFree:         1000000 kB\nMemAvailable:    6000000 kB\n';
export const DF =
  'Filesystem     1024-blocks    Used Available Capacity Mounted on\n/dev/mmcblk0p2    30000000 9000000  21000000      30% /\n';

/** A healthy vehicle whose CPU counters advance by 100 ticks per sample, `busy` of them busy. */
export function healthyAnswers(busyPerSample = 25): Answers {
  let busy = 1000;
  let idle = 9000;
  return (command) => {
    if (command === 'cat /proc/stat') {
      busy += busyPerSample;
      idle += 100 - busyPerSample;
      return { stdout: PROC_STAT(busy, idle), exitCode: 0 };
    }
    if (command === 'cat /proc/meminfo') {
      return { stdout: MEMINFO, exitCode: 0 };
    }
    if (command.startsWith('df -P -k ')) {
      return { stdout: DF, exitCode: 0 };
    }
    if (command.startsWith('curl -s -m 2 http://127.0.0.1:8000/api/v1/telemetry/current')) {
      const body = { timestamp: '2025-01-06T00:00:00Z', motor_speed: 1200, motor_temperature: 41.5 };
      return { stdout: JSON.stringify(body), exitCode: 0 };
    }
    if (command.startsWith('systemctl is-active ')) {
      return { stdout: 'active\n', exitCode: 0 };
    }
    return undefined;
  };
}

export type FakeConnector = UnitConnector & {
  answers: Answers;
  /** Connections made, open or not. */
  readonly connections: FakeConnection[];
  /** When set, connect() fails with it. */
  refuse: AppError | null;
  /** When set, every exec waits for it before answering. */
  gate: Promise<void> | null;
  execCount: number;
};

export type FakeConnection = Connection & { isClosed: boolean; drop(): void };

/** Answers batch scripts as a vehicle would, probe by probe; connections can be refused or dropped. */
export function fakeConnector(answers: Answers = healthyAnswers()): FakeConnector {
  const connector: FakeConnector = {
    answers,
    connections: [],
    refuse: null,
    gate: null,
    execCount: 0,
    async connect(unit: Unit) {
      if (connector.refuse) {
        throw connector.refuse;
      }
      let isDropped = false;
      const connection: FakeConnection = {
        description: `fake ${unit.name}`,
        isClosed: false,
        drop: () => {
          isDropped = true;
        },
        async exec(script: string, options: ExecOptions): Promise<ExecResult> {
          connector.execCount += 1;
          if (connection.isClosed || isDropped) {
            throw new AppError('TRANSPORT_CLOSED', `${unit.name}: the SSH connection was lost (reset)`, {
              retryable: true,
            });
          }
          if (connector.gate) {
            await connector.gate;
          }
          if (options.signal?.aborted) {
            throw new AppError('CANCELLED', 'cancelled');
          }
          return {
            exitCode: 0,
            signal: null,
            stdout: answerBatch(script, connector.answers),
            stderr: '',
            durationMs: 1,
          };
        },
        async close() {
          connection.isClosed = true;
        },
      };
      connector.connections.push(connection);
      return connection;
    },
    async probe() {
      throw new AppError('INTERNAL', 'not used');
    },
  };
  return connector;
}

function answerBatch(script: string, answers: Answers): string {
  const parsed = parseBatchScript(script);
  if (!parsed) {
    throw new Error('not a batch script');
  }
  return parsed.probes
    .map((probe) => {
      const answer = answers(probe.command) ?? {
        stdout: `sh: 1: ${probe.command.split(' ')[0]}: not found\n`,
        exitCode: 127,
      };
      const body = answer.stdout.endsWith('\n') || answer.stdout === '' ? answer.stdout : `${answer.stdout}\n`;
      return `\n@@ohtw:${parsed.nonce}:begin:${probe.key}\n${body}\n@@ohtw:${parsed.nonce}:end:${probe.key}:${answer.exitCode}\n`;
    })
    .join('');
}
