import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { DiagnosticsService } from './diagnostics/DiagnosticsService';
import type { FeatureDeps } from './feature';
import { auditHeadPath } from './history/auditHead';
import { AuditKeyring, defaultAuditKeySources, type AuditKeySource } from './history/auditKey';
import { HistoryRepository } from './history/HistoryRepository';
import { openHistoryDatabase, openHistoryDatabaseReadOnly, type Database } from './history/openDatabase';
import { resolveAppLayout, type AppLayout } from './paths/appLayout';
import { systemClock, type Clock } from './ports/Clock';
import { EventHub } from './ports/EventHub';
import { createStderrLogger, type Logger } from './ports/Logger';
import { procedureAdvisor } from './procedures/library/advisor';
import { ProcedureLibrary, shippedProceduresDir, userProceduresDir } from './procedures/library/ProcedureLibrary';
import { SessionPassphrase } from './session/SessionPassphrase';
import { SettingsStore } from './settings/SettingsStore';
import { StreamHub } from './streams/StreamHub';
import { createSshUnitConnector, type UnitConnector } from './units/unitConnection';
import { UnitService } from './units/UnitService';

export const HISTORY_FILE = 'history.sqlite3';

/** What a face may set of the services every feature shares; the rest is resolved from the environment. */
export type SharedServicesOptions = {
  dataDir: string;
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
  /** Base for relative key paths. */
  cwd?: string;
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
};

/** The shared services as every feature receives them, and whether the data folder can only be read. */
export type SharedServices = Pick<
  FeatureDeps,
  | 'dataDir'
  | 'clock'
  | 'logger'
  | 'env'
  | 'layout'
  | 'session'
  | 'db'
  | 'history'
  | 'settings'
  | 'actor'
  | 'events'
  | 'connector'
  | 'units'
  | 'diagnostics'
  | 'streams'
> & { readOnly: boolean };

/**
 * The services every feature shares, built once: the history (read-only when the data folder is), the settings,
 * units, the SSH connector, diagnostics, streams, the session's passphrase and who is acting.
 */
export function openSharedServices(options: SharedServicesOptions): SharedServices {
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
  const actor = (): string => options.actor ?? recordedActor(settings.getTechnician(), env);
  if (!readOnly) {
    anchorExistingChain(history, actor(), logger);
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
  return {
    dataDir: options.dataDir,
    clock,
    logger,
    env,
    layout,
    session,
    readOnly,
    db,
    history,
    settings,
    actor,
    events,
    connector,
    units,
    diagnostics,
    streams,
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
