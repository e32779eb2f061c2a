import { randomUUID } from 'node:crypto';

import { said } from '../../../shared/domain/words';
import { AppError, isAppError } from '../../../shared/errors/AppError';
import { judgedLevel, type CheckResult, type DiagnosisReport, type Finding } from '../../../shared/domain/health';
import type { Thresholds } from '../../../shared/domain/thresholds';
import type { Unit } from '../../../shared/domain/unit';
import type { EventHub } from '../ports/EventHub';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { UnitConnector } from '../units/unitConnection';
import { mapWithConcurrency } from '../util/concurrency';
import { findingsOf, withProcedures, type ProcedureAdvisor } from './findings';
import { CHECK_MODULES } from './modules';
import { sweepUnit } from './sweep';

/**
 * How many units a fleet sweep talks to at once, each from its SSH handshake to its saved report. A sweep mostly
 * waits on the vehicle, so a laptop holds this many sessions easily, while the handshakes' cryptography and the
 * judging stay within what two cores do without starving the UI.
 */
export const DEFAULT_FLEET_PARALLELISM = 8;

/** Checks that a sweep always reports, so an unreachable unit still shows each of them as STALE. */
const EXPECTED_CHECKS = CHECK_MODULES.flatMap((m) => m.checkIds);

export type DiagnosticsDeps = {
  history: HistoryRepository;
  connector: UnitConnector;
  events: EventHub;
  clock: Clock;
  logger: Logger;
  /** The alert thresholds in force (settings, else the runbook's defaults), read at each sweep. */
  thresholds: () => Thresholds;
  /** How many units are swept at once in a fleet sweep, unless a run says otherwise. */
  parallelism?: number;
  /** The procedure each finding preselects; none without it. */
  advise?: ProcedureAdvisor;
};

export class DiagnosticsService {
  constructor(private readonly deps: DiagnosticsDeps) {}

  /** Diagnoses the named units (all must exist), `parallel` at a time; every run is recorded, with who ran it. */
  async run(names: readonly string[], parallel?: number, actor?: string): Promise<DiagnosisReport[]> {
    const units = names.map((name) => {
      const unit = this.deps.history.getUnit(name);
      if (!unit) {
        throw new AppError('NOT_FOUND', `unit ${name} not found (see: ohtw units list)`, { details: { unit: name } });
      }
      return unit;
    });
    const bound = parallel ?? this.deps.parallelism ?? DEFAULT_FLEET_PARALLELISM;
    return mapWithConcurrency(units, bound, (unit) => this.runOne(unit, actor));
  }

  private async runOne(unit: Unit, actor: string | undefined): Promise<DiagnosisReport> {
    const { clock, events, history, logger } = this.deps;
    const startedMs = clock.now();
    const startedAt = new Date(startedMs).toISOString();
    events.emit('diagnostics.progress', { unit: unit.name, phase: 'connecting' });
    let checks: CheckResult[];
    try {
      const connection = await this.deps.connector.connect(unit);
      try {
        events.emit('diagnostics.progress', { unit: unit.name, phase: 'running' });
        const outcome = await sweepUnit(unit, connection, { thresholds: this.deps.thresholds(), clock });
        checks = outcome.checks;
        if (JSON.stringify(outcome.profile) !== JSON.stringify(unit.profile)) {
          history.updateProfile(unit.name, outcome.profile);
          events.emit('units.changed', { name: unit.name });
        }
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (!isAppError(error)) {
        logger.error('sweep failed unexpectedly', { unit: unit.name, error: String(error) });
      }
      checks = unreachableChecks(error);
    }
    const report: DiagnosisReport = {
      runId: randomUUID(),
      unit: unit.name,
      level: judgedLevel(checks.map((c) => c.level)),
      startedAt,
      durationMs: Math.max(0, Math.round(clock.now() - startedMs)),
      checks,
      findings: await this.findings(checks),
    };
    history.saveDiagnosis(report, { actor: actor ?? null });
    events.emit('diagnostics.progress', { unit: unit.name, phase: 'done', level: report.level });
    events.emit('units.changed', { name: unit.name });
    return report;
  }

  /** A stored run; one saved before findings were judged is judged now, as it reads. */
  async get(runId: string): Promise<DiagnosisReport> {
    const report = this.deps.history.getDiagnosis(runId);
    if (!report) {
      throw new AppError('NOT_FOUND', `diagnosis ${runId} not found`);
    }
    return report.findings ? report : { ...report, findings: await this.findings(report.checks) };
  }

  /** What a report's checks come to, cause before consequence, each with the procedure to start from. */
  async findings(checks: readonly CheckResult[]): Promise<Finding[]> {
    const found = findingsOf(checks);
    return this.deps.advise ? withProcedures(found, this.deps.advise) : found;
  }
}

/** A unit that cannot be reached is STALE, with the reason on the connection check and on every expected check. */
function unreachableChecks(error: unknown): CheckResult[] {
  const message = error instanceof Error ? error.message : String(error);
  const code = isAppError(error) ? error.code : 'INTERNAL';
  const connection: CheckResult = {
    id: 'connection',
    level: 'STALE',
    ...said('sweep.connectionFailed', { error: { raw: message } }),
    evidence: `${code}: ${message}`,
  };
  return [
    connection,
    ...EXPECTED_CHECKS.map((id) => ({
      id,
      level: 'STALE' as const,
      ...said('sweep.unreachable'),
      evidence: `${code}: ${message}`,
    })),
  ];
}
