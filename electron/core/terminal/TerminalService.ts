import { randomUUID } from 'node:crypto';

import type BetterSqlite3 from 'better-sqlite3';

import type { TerminalSession as TerminalSessionView } from '../../../shared/domain/terminal';
import { AppError } from '../../../shared/errors/AppError';
import type { CallOutput, CallParsedInput } from '../../../shared/ipc/contract';
import type { CallContext } from '../api/CoreApi';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { StreamHub } from '../streams/StreamHub';
import { hasShell } from '../transport/transport';
import type { UnitConnector } from '../units/unitConnection';
import type { UnitService } from '../units/UnitService';
import { AsciicastRecorder } from './recording/AsciicastRecorder';
import { recordingIntact } from './recordingCheck';
import { TerminalSession } from './TerminalSession';
import { sessionView, type TerminalStore } from './TerminalStore';

/** A session's recording may grow to this size; it then ends (nothing may happen on a unit unrecorded). */
export const MAX_RECORDING_BYTES = 64 * 1024 * 1024;

export type TerminalServiceDeps = {
  db: BetterSqlite3.Database;
  store: TerminalStore;
  history: HistoryRepository;
  units: UnitService;
  connector: UnitConnector;
  streams: StreamHub;
  clock: Clock;
  logger: Logger;
  /** The procedure run active on the unit now, if one is: a session opened meanwhile is its evidence. */
  activeRun: (unit: string) => Promise<string | null>;
  maxRecordingBytes?: number;
};

/** Terminals on the units: opened over the unit's pinned SSH connection, recorded, ended with their streams. */
export class TerminalService {
  private readonly sessions = new Map<string, TerminalSession>();

  constructor(private readonly deps: TerminalServiceDeps) {}

  async open(input: CallParsedInput<'terminal.open'>, context: CallContext): Promise<CallOutput<'terminal.open'>> {
    const { deps } = this;
    const unit = deps.units.require(input.unit);
    const runId = await deps.activeRun(unit.name).catch((error: unknown) => {
      deps.logger.warn('could not tell whether a procedure run is active', { unit: unit.name, error: String(error) });
      return null;
    });
    const connection = await deps.connector.connect(unit);
    try {
      if (!hasShell(connection)) {
        throw new AppError('PRECONDITION_FAILED', `${unit.name}: this connection cannot open a shell`);
      }
      const pty = input.interactive ? { cols: input.cols, rows: input.rows, term: input.term } : null;
      const shell = await connection.openShell({ pty });
      const id = randomUUID();
      const startedAtMs = deps.clock.now();
      const startedAt = new Date(startedAtMs).toISOString();
      deps.store.begin({
        id,
        unit: unit.name,
        actor: context.actor,
        face: context.face,
        interactive: input.interactive,
        cols: input.cols,
        rows: input.rows,
        runId,
        startedAt,
      });
      const session = new TerminalSession({
        id,
        unit: unit.name,
        actor: context.actor,
        face: context.face,
        interactive: input.interactive,
        runId,
        startedAtMs,
        shell,
        connection,
        recorder: new AsciicastRecorder({
          cols: input.cols,
          rows: input.rows,
          startedAtMs,
          title: `${unit.name} (${unit.user}@${unit.host}) by ${context.actor}`,
          env: { TERM: input.term },
          maxBytes: deps.maxRecordingBytes ?? MAX_RECORDING_BYTES,
        }),
        store: deps.store,
        history: deps.history,
        clock: deps.clock,
        logger: deps.logger.child({ unit: unit.name, session: id }),
      });
      const handle = deps.streams.open({ kind: 'terminal', unit: unit.name, owner: context.client, source: session });
      this.sessions.set(handle.id, session);
      void session.done.then(() => this.sessions.delete(handle.id));
      session.attach(handle);
      deps.logger.info('terminal opened', { unit: unit.name, session: id, actor: context.actor, runId });
      return { streamId: handle.id, sessionId: id, unit: unit.name, runId, startedAt };
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  input(input: CallParsedInput<'terminal.input'>, context: CallContext): number {
    return this.session(input.streamId, context).write(input.data, input.end);
  }

  resize(input: CallParsedInput<'terminal.resize'>, context: CallContext): void {
    this.session(input.streamId, context).resize(input.cols, input.rows);
  }

  list(query: CallParsedInput<'terminal.sessions'>): TerminalSessionView[] {
    const rows =
      'unit' in query
        ? this.deps.store.byUnit(query.unit, query.limit)
        : this.deps.store.byRun(query.runId, query.limit);
    return rows.map(sessionView);
  }

  recording(sessionId: string): CallOutput<'terminal.recording'> {
    const row = this.deps.store.get(sessionId);
    if (!row) {
      throw new AppError('NOT_FOUND', `no terminal session ${sessionId}`);
    }
    const cast = this.deps.store.cast(sessionId);
    if (cast === undefined) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `session ${sessionId} has no recording yet: it is still open, or the workstation stopped before it was saved`,
      );
    }
    return {
      session: sessionView(row),
      cast,
      intact: recordingIntact(this.deps.db, this.deps.store, sessionId, row.audit_seq),
    };
  }

  private session(streamId: string, context: CallContext): TerminalSession {
    this.deps.streams.require(streamId, context.client, 'terminal');
    const session = this.sessions.get(streamId);
    if (!session) {
      throw new AppError('NOT_FOUND', `terminal ${streamId} has ended`);
    }
    return session;
  }
}
