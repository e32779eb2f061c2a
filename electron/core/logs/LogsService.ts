import { randomUUID } from 'node:crypto';

import type { Unit } from '../../../shared/domain/unit';
import type { LogLine, LogSource, LogView } from '../../../shared/domain/unitLogs';
import { AppError } from '../../../shared/errors/AppError';
import type { CallOutput, CallParsedInput } from '../../../shared/ipc/contract';
import type { CallContext } from '../api/CoreApi';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { StreamHub } from '../streams/StreamHub';
import { hasStreamExec } from '../transport/transport';
import type { UnitConnector } from '../units/unitConnection';
import type { UnitService } from '../units/UnitService';
import {
  journalCommand,
  journalFollowCommand,
  LIST_UNITS_COMMAND,
  parseListedServices,
  type ListedService,
} from './journalCommands';
import { formatLogLine, parseJournalLine } from './journalLines';
import { LogFollow } from './LogFollow';
import type { LogViewStore } from './LogViewStore';
import { sha256Hex } from '../auditChecks';

/** journalctl --follow may wait for a quiet unit's next line this long; SSH keepalives notice a vanished vehicle. */
const FOLLOW_IDLE_MS = 24 * 3_600_000;
const READ_TIMEOUT_MS = 60_000;

export type LogsServiceDeps = {
  history: HistoryRepository;
  units: UnitService;
  connector: UnitConnector;
  streams: StreamHub;
  views: LogViewStore;
  clock: Clock;
  logger: Logger;
  activeRun: (unit: string) => Promise<string | null>;
};

/** The units a source reads: those named, the whole journal, or the unit's own backend and firmware services. */
export function servicesOf(unit: Unit, source: LogSource): string[] {
  if (source.allServices) {
    return [];
  }
  return source.services.length > 0 ? source.services : [unit.profile.backendService, unit.profile.firmwareService];
}

/** Live and past logs of the units, and log views kept as evidence. */
export class LogsService {
  constructor(private readonly deps: LogsServiceDeps) {}

  async follow(input: CallParsedInput<'logs.follow'>, context: CallContext): Promise<CallOutput<'logs.follow'>> {
    const unit = this.deps.units.require(input.unit);
    const services = servicesOf(unit, input);
    const command = journalFollowCommand({ services, priority: input.priority, lines: input.backlog });
    const connection = await this.deps.connector.connect(unit);
    try {
      if (!hasStreamExec(connection)) {
        throw new AppError('PRECONDITION_FAILED', `${unit.name}: this connection cannot follow a log`);
      }
      const exec = connection.execStream(command, { idleTimeoutMs: FOLLOW_IDLE_MS });
      const follow = new LogFollow(exec, connection, this.deps.logger.child({ unit: unit.name }));
      const handle = this.deps.streams.open({ kind: 'logs', unit: unit.name, owner: context.client, source: follow });
      follow.attach(handle);
      return { streamId: handle.id, services, command };
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  async read(input: CallParsedInput<'logs.read'>): Promise<CallOutput<'logs.read'>> {
    const unit = this.deps.units.require(input.unit);
    const services = servicesOf(unit, input);
    const command = journalCommand({
      services,
      priority: input.priority,
      lines: input.limit,
      ...(input.since === undefined ? {} : { sinceMs: Date.parse(input.since) }),
      ...(input.until === undefined ? {} : { untilMs: Date.parse(input.until) }),
      ...(input.grep === undefined ? {} : { grep: input.grep }),
    });
    const result = await this.run(unit, command);
    const lines = result.stdout
      .split('\n')
      .map(parseJournalLine)
      .filter((line): line is LogLine => line !== null);
    return { lines, services, command };
  }

  async services(name: string): Promise<ListedService[]> {
    const unit = this.deps.units.require(name);
    const result = await this.run(unit, LIST_UNITS_COMMAND);
    if (result.exitCode !== 0) {
      throw new AppError(
        'COMMAND_FAILED',
        `${unit.name}: systemctl list-units failed: ${result.stderr.trim().slice(0, 200)}`,
      );
    }
    return parseListedServices(result.stdout);
  }

  async saveView(input: CallParsedInput<'logs.saveView'>, context: CallContext): Promise<LogView> {
    const unit = this.deps.units.require(input.unit);
    const runId = input.runId ?? (await this.deps.activeRun(unit.name).catch(() => null));
    const content = `${input.lines.map(formatLogLine).join('\n')}\n`;
    const view: LogView = {
      id: randomUUID(),
      unit: unit.name,
      actor: context.actor,
      savedAt: this.deps.clock.nowIso(),
      runId,
      lines: input.lines.length,
      sha256: sha256Hex(content),
      filter: input.filter,
    };
    this.deps.views.insert(view, content);
    const receipt = this.deps.history.appendAudit({
      actor: context.actor,
      unit: unit.name,
      action: 'logs.view',
      outcome: 'ok',
      details: {
        viewId: view.id,
        sha256: view.sha256,
        lines: view.lines,
        first: input.lines[0] ? new Date(input.lines[0].atMs).toISOString() : null,
        last: input.lines.at(-1) ? new Date(input.lines.at(-1)?.atMs ?? 0).toISOString() : null,
        ...(runId === null ? {} : { runId }),
      },
    });
    this.deps.views.setAuditSeq(view.id, receipt.seq);
    return view;
  }

  view(id: string): CallOutput<'logs.view'> {
    const found = this.deps.views.get(id);
    if (!found) {
      throw new AppError('NOT_FOUND', `no saved log view ${id}`);
    }
    return { view: found.view, content: found.content, intact: this.deps.views.intact(id) };
  }

  private async run(unit: Unit, command: string) {
    const connection = await this.deps.connector.connect(unit);
    try {
      return await connection.exec(command, { timeoutMs: READ_TIMEOUT_MS });
    } finally {
      await connection.close();
    }
  }
}
