import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { AppError } from '../../shared/errors/AppError';
import type { Envelope } from '../../shared/ipc/envelope';
import type { CallName } from '../../shared/ipc/contract';
import { AUDITED_CALLS } from './api/auditedCalls';
import { dispatchCall, type CallContext, type CoreHandlers } from './api/CoreApi';
import { EventHub } from './ports/EventHub';
import { DiagnosticsService } from './diagnostics/DiagnosticsService';
import { auditHeadPath } from './history/auditHead';
import { AuditKeyring, defaultAuditKeySources, type AuditKeySource } from './history/auditKey';
import { HistoryRepository } from './history/HistoryRepository';
import { openHistoryDatabase, openHistoryDatabaseReadOnly, type Database } from './history/openDatabase';
import type { KeychainPort, KeyProvider } from './ports/KeyProvider';
import type { PdfPrinter } from './ports/PdfPrinter';
import { resolveAppLayout, type AppLayout } from './paths/appLayout';
import { systemClock, type Clock } from './ports/Clock';
import { procedureAdvisor } from './procedures/library/advisor';
import { ProcedureLibrary, shippedProceduresDir, userProceduresDir } from './procedures/library/ProcedureLibrary';
import { createStderrLogger, type Logger } from './ports/Logger';
import { SessionPassphrase } from './session/SessionPassphrase';
import { SettingsStore } from './settings/SettingsStore';
import { StreamHub } from './streams/StreamHub';
import { createSshUnitConnector, type UnitConnector } from './units/unitConnection';
import { UnitService } from './units/UnitService';
import { FEATURES } from './features';
import { FeatureRegistry } from './featureRegistry';

export type CoreOptions = {
  dataDir: string;
  face: CallContext['face'];
  clock?: Clock;
  logger?: Logger;
  /** Where secrets referenced by name (password and passphrase variables) are looked up. */
  env?: Record<string, string | undefined>;
  /**
   * Who is acting, for the audit log, when the face knows it better than the settings (tests). Otherwise the
   * technician's name as set once for this workstation, else the OS user marked as such.
   */
  actor?: string;
  /** The store passphrase entered for this session (the desktop app without a real keyring asks for it). */
  sessionPassphrase?: SessionPassphrase;
  /** True when this face can only get the store passphrase by asking the technician for it. */
  passphraseMustBeAsked?: boolean;
  /** Base for relative key paths. */
  cwd?: string;
  /** Prints reports to PDF (Electron's printToPDF, or headless Chromium behind the CLI and the browser host). */
  pdfPrinter?: PdfPrinter;
  /** The backup store's passphrase source (the desktop app's OS keychain); OHTW_PASSPHRASE otherwise. */
  keyProvider?: KeyProvider;
  /**
   * Where the audit chain's key comes from, in order (the desktop app: its OS keychain); by default OHTW_AUDIT_KEY_FILE,
   * the store passphrase, else a key file next to the data folder.
   */
  auditKeys?: AuditKeySource[];
  /** Where the application's own files are; resolved from where the core's code lies when not given. */
  layout?: AppLayout;
  /** Replaces the SSH connector (tests). */
  connector?: UnitConnector;
  /** How long a stream lives without an acknowledgement from its consumer (30 s; tests shorten it). */
  streamLeaseMs?: number;
  /** Where the team server's password is kept by the OS keychain (the desktop app); the environment otherwise. */
  teamKeychain?: KeychainPort;
  /** Rows per team sync batch (tests make it small to cut a sync in the middle). */
  teamBatchSize?: number;
};

/** The composition root of the core: every face builds one and talks to it only through dispatch and events. */
export type Core = {
  readonly dataDir: string;
  readonly handlers: CoreHandlers;
  readonly events: EventHub;
  readonly history: HistoryRepository;
  dispatch(name: unknown, input: unknown, context?: Partial<CallContext>): Promise<Envelope<unknown>>;
  /** A browser page went away: the streams it opened end now, their channels on the vehicles closed. */
  releaseClient(client: string): Promise<void>;
  close(): Promise<void>;
};

export const HISTORY_FILE = 'history.sqlite3';

export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createStderrLogger();
  const env = options.env ?? process.env;
  const layout = options.layout ?? resolveAppLayout();
  const session = options.sessionPassphrase ?? new SessionPassphrase(env);
  const readOnly = isReadOnlyFolder(options.dataDir);
  const db = readOnly ? openReadOnly(options.dataDir, logger) : openWritable(options.dataDir);
  const history = new HistoryRepository(db, clock, {
    keys: new AuditKeyring(options.auditKeys ?? defaultAuditKeySources(env, options.dataDir, () => session.get())),
    headFile: auditHeadPath(options.dataDir),
  });
  const settings = new SettingsStore(db, history, clock);
  const actorNow = (): string => options.actor ?? recordedActor(settings.getTechnician(), env);
  if (!readOnly) {
    anchorExistingChain(history, actorNow(), logger);
  }
  const events = new EventHub(logger);
  const connector = options.connector ?? createSshUnitConnector(env, logger.child({ subsystem: 'ssh' }));
  const units = new UnitService({ history, connector, events, clock, cwd: options.cwd ?? process.cwd() });
  // Each finding preselects the library's best procedure for its root check, the technician's own versions included.
  const advisor = new ProcedureLibrary({
    shippedDir: shippedProceduresDir(layout.resourcesDir),
    userDir: userProceduresDir(options.dataDir),
  });
  const diagnostics = new DiagnosticsService({
    history,
    connector,
    events,
    clock,
    logger,
    thresholds: () => settings.getThresholds(),
    advise: procedureAdvisor(advisor),
  });
  const streams = new StreamHub({
    events,
    clock,
    logger: logger.child({ subsystem: 'streams' }),
    ...(options.streamLeaseMs === undefined ? {} : { leaseMs: options.streamLeaseMs }),
  });
  const registry = new FeatureRegistry();
  const features = FEATURES.map((register) =>
    registry.add(
      register({
        dataDir: options.dataDir,
        layout,
        face: options.face,
        actor: actorNow,
        db,
        history,
        events,
        clock,
        logger,
        env,
        connector,
        units,
        diagnostics,
        settings,
        streams,
        session,
        passphraseMustBeAsked: options.passphraseMustBeAsked === true,
        pdfPrinter: options.pdfPrinter,
        keyProvider: options.keyProvider ?? (options.passphraseMustBeAsked ? session.keyProvider() : undefined),
        teamKeychain: options.teamKeychain,
        teamBatchSize: options.teamBatchSize,
        calls: registry.calls,
        lent: registry.lent,
      }),
    ),
  );
  const handlers = registry.handlers();

  // A call that records what it does first checks that the audit log can take the row.
  const guarded = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      AUDITED_CALLS.has(name as CallName)
        ? async (input: never, context: CallContext) => {
            if (readOnly) {
              throw new AppError(
                'PRECONDITION_FAILED',
                `the data folder ${options.dataDir} is read-only: it can be read (units, history, procedures, audit verify), but nothing can be done that would be recorded`,
                { details: { dataDir: options.dataDir } },
              );
            }
            history.assertAuditWritable();
            return (handler as (input: never, context: CallContext) => Promise<unknown>)(input, context);
          }
        : handler,
    ]),
  ) as CoreHandlers;

  let closed = false;
  return {
    dataDir: options.dataDir,
    handlers,
    events,
    history,
    dispatch: (name, input, context) =>
      dispatchCall(
        guarded,
        name,
        input,
        {
          face: context?.face ?? options.face,
          actor: context?.actor ?? actorNow(),
          ...(context?.client === undefined ? {} : { client: context.client }),
        },
        logger,
      ),
    releaseClient: (client) => streams.releaseClient(client),
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      // Open streams first: a terminal's recording is saved to the history before anything closes under it.
      await streams.closeAll();
      // Features in the reverse order of their opening (procedures may be using backups, backups the bus), then the
      // shared services.
      for (const feature of [...features].reverse()) {
        await feature.close();
      }
      history.close();
    },
  };
}

/**
 * A history written before the audit chain was keyed is anchored to its key once, at the first open by this build,
 * and the anchor row records it. Without the key here (no passphrase, a read-only folder), it is anchored later.
 */
function anchorExistingChain(history: HistoryRepository, actor: string, logger: Logger): void {
  try {
    if (history.anchorAudit(actor)) {
      logger.info('the audit chain of this history is now keyed (its earlier rows are anchored)');
    }
  } catch (error) {
    logger.warn('the audit chain could not be anchored yet', { error: String(error) });
  }
}

/**
 * Who the audit log records as acting: the technician's name as set once for this workstation; when it was never
 * set, the OS user, saying so, so that a row never passes the login name off as the technician's.
 */
export function recordedActor(technician: string | null, env: Record<string, string | undefined>): string {
  if (technician !== null) {
    return technician;
  }
  const osUser = env.USER || env.USERNAME;
  return osUser ? `${osUser} (OS user; technician not set)` : 'unknown (technician not set)';
}

/** A data folder this process cannot write (a read-only mount, another user's folder): read commands still work. */
function isReadOnlyFolder(dataDir: string): boolean {
  try {
    accessSync(dataDir, constants.W_OK);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') && existsSync(join(dataDir, HISTORY_FILE));
  }
}

function openWritable(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  return openHistoryDatabase(join(dataDir, HISTORY_FILE));
}

function openReadOnly(dataDir: string, logger: Logger): Database {
  const { db, walBytes } = openHistoryDatabaseReadOnly(join(dataDir, HISTORY_FILE));
  logger.info('the data folder is read-only: reading only', { dataDir });
  if (walBytes > 0) {
    logger.warn(
      'the history has a write-ahead log that cannot be read in a read-only folder; shown as of its last checkpoint',
      {
        dataDir,
        walBytes,
      },
    );
  }
  return db;
}
