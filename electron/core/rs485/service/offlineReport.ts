/**
 * The bus doctor's diagnosis as a report of the same shape as an SSH sweep's: the rs485.offline.* checks, with the
 * second-master check first when a unit is named; stored in that unit's history like any other sweep.
 */
import { randomUUID } from 'node:crypto';

import { judgedLevel, type CheckResult, type DiagnosisReport } from '../../../../shared/domain/health';
import type { Clock } from '../../ports/Clock';
import { diagnoseBusOffline, type BusModule } from '../diagnosis';
import type { ModbusMaster } from '../modbusTypes';

export type OfflineReportInput = {
  master: ModbusMaster;
  modules: readonly BusModule[];
  /** The unit's name, or a label for a bench bus ("rs485:/dev/ttyUSB0"). */
  reportUnit: string;
  /** The second-master check, when a unit was asked. */
  masterCheck?: CheckResult | undefined;
  clock: Clock;
  signal?: AbortSignal | undefined;
};

export async function offlineReport(input: OfflineReportInput): Promise<DiagnosisReport> {
  const startedMs = input.clock.now();
  const startedAt = new Date(startedMs).toISOString();
  const busChecks = await diagnoseBusOffline(input.master, input.modules, { signal: input.signal });
  const checks = input.masterCheck ? [input.masterCheck, ...busChecks] : busChecks;
  return {
    runId: randomUUID(),
    unit: input.reportUnit,
    level: judgedLevel(checks.map((c) => c.level)),
    startedAt,
    durationMs: Math.max(0, Math.round(input.clock.now() - startedMs)),
    checks,
  };
}
