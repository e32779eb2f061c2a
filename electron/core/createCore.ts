import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { BugError } from '../../shared/errors/AppError';
import type { Envelope } from '../../shared/ipc/envelope';
import { dispatchCall, EventHub, type CallContext, type CoreHandlers } from './api/CoreApi';
import { createBackupFeature } from './backup/backupFeature';
import { diagnosisChanges } from './diagnostics/changes';
import { DiagnosticsService } from './diagnostics/DiagnosticsService';
import { HistoryRepository } from './history/HistoryRepository';
import { openHistoryDatabase } from './history/openDatabase';
import type { KeyProvider } from './backup/store/BackupStore';
import type { FeatureDeps } from './feature';
import type { PdfPrinter } from './procedures/report/report';
import { resolveAppLayout, type AppLayout } from './paths/appLayout';
import { systemClock, type Clock } from './ports/Clock';
import { backupUnitOperation } from './procedures/operations/backupOperation';
import { createProceduresFeature } from './procedures/proceduresFeature';
import { createRs485Feature } from './rs485/rs485Feature';
import { createStderrLogger, type Logger } from './ports/Logger';
import { SettingsStore } from './settings/SettingsStore';
import { TelemetryService } from './telemetry/TelemetryService';
import { createSshUnitConnector, type UnitConnector } from './units/unitConnection';
import { UnitService } from './units/UnitService';

export type CoreOptions = {
  dataDir: string;
  face: CallContext['face'];
  clock?: Clock;
  logger?: Logger;
  /** Where secrets referenced by name (password and passphrase variables) are looked up. */
  env?: Record<string, string | undefined>;
  /** Who is acting, for the audit log; defaults to the operating-system user. */
  actor?: string;
  /** Base for relative key paths. */
  cwd?: string;
  /** Prints reports to PDF (Electron's printToPDF, or headless Chromium behind the CLI and the browser host). */
  pdfPrinter?: PdfPrinter;
  /** The backup store's passphrase source (the desktop app's OS keychain); OHTW_PASSPHRASE otherwise. */
  keyProvider?: KeyProvider;
  /** Where the application's own files are; resolved from where the core's code lies when not given. */
  layout?: AppLayout;
  /** Replaces the SSH connector (tests). */
  connector?: UnitConnector;
};

/** The composition root of the core: every face builds one and talks to it only through dispatch and events. */
export type Core = {
  readonly dataDir: string;
  readonly handlers: CoreHandlers;
  readonly events: EventHub;
  readonly history: HistoryRepository;
  dispatch(name: unknown, input: unknown, context?: Partial<CallContext>): Promise<Envelope<unknown>>;
  close(): Promise<void>;
};

export const HISTORY_FILE = 'history.sqlite3';

export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createStderrLogger();
  const env = options.env ?? process.env;
  const layout = options.layout ?? resolveAppLayout();
  const defaultActor = options.actor ?? env.USER ?? env.USERNAME ?? 'technician';
  mkdirSync(options.dataDir, { recursive: true });
  const db = openHistoryDatabase(join(options.dataDir, HISTORY_FILE));
  const history = new HistoryRepository(db, clock);
  const events = new EventHub(logger);
  const connector = options.connector ?? createSshUnitConnector(env, logger.child({ subsystem: 'ssh' }));
  const units = new UnitService({ history, connector, events, clock, cwd: options.cwd ?? process.cwd() });
  const settings = new SettingsStore(db, history, clock);
  const diagnostics = new DiagnosticsService({
    history,
    connector,
    events,
    clock,
    logger,
    thresholds: () => settings.getThresholds(),
  });
  const telemetry = new TelemetryService({ db, history, connector, events, clock, logger });
  const featureDeps: FeatureDeps = {
    dataDir: options.dataDir,
    layout,
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
    pdfPrinter: options.pdfPrinter,
    keyProvider: options.keyProvider,
  };
  const rs485 = createRs485Feature(featureDeps);
  const backup = createBackupFeature(featureDeps);
  const runBackup = backup.handlers['backup.run'];
  // Procedures lend the backup feature's work as their backup.unit step, run as the technician of the run.
  const procedures = createProceduresFeature(featureDeps, {
    delegates: {
      'backup.unit': backupUnitOperation(async (unit, actor) => {
        const { results } = await runBackup(
          { names: [unit], concurrency: 1, database: 'online', confirmServiceStop: false, full: false },
          { face: options.face, actor },
        );
        const result = results[0];
        if (!result) {
          throw new BugError(`backup.run answered no result for ${unit}`);
        }
        return result;
      }),
    },
  });
  const features = [rs485, backup, procedures];

  const handlers: CoreHandlers = {
    'app.info': async (_input, context) => ({ version: layout.version, dataDir: options.dataDir, face: context.face }),
    'units.list': async () => units.list(),
    'units.add': async (input, context) => units.add(input, context.actor),
    'units.remove': async (input, context) => ({ removed: units.remove(input.name, context.actor) }),
    'units.probeHostKey': async (input) => units.probeHostKey(input.name),
    'units.trust': async (input, context) => units.trust(input.name, input.fingerprint, context.actor),
    'diagnostics.run': async (input) => diagnostics.run(input.names, input.parallel),
    'diagnostics.get': async (input) => diagnostics.get(input.runId),
    'diagnostics.changes': async (input) => diagnosisChanges(history, input.name, input.runId),
    'settings.get': async () => ({ thresholds: settings.getThresholds() }),
    'settings.setThresholds': async (input, context) => ({
      thresholds: settings.setThresholds(input.thresholds, context.actor),
    }),
    'telemetry.start': async (input) => {
      units.require(input.name);
      return telemetry.start(input.name, input.intervalMs);
    },
    'telemetry.stop': async (input) => telemetry.stop(input.streamId),
    'telemetry.history': async (input) => telemetry.history(input.name, input.fromMs, input.toMs, input.maxPoints),
    'history.list': async (input) => history.history(input.name, input.limit),
    ...rs485.handlers,
    ...backup.handlers,
    ...procedures.handlers,
  };

  let closed = false;
  return {
    dataDir: options.dataDir,
    handlers,
    events,
    history,
    dispatch: (name, input, context) =>
      dispatchCall(
        handlers,
        name,
        input,
        { face: context?.face ?? options.face, actor: context?.actor ?? defaultActor },
        logger,
      ),
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      // Features first (procedures may be using backups, backups the bus), then the shared services.
      for (const feature of [...features].reverse()) {
        await feature.close();
      }
      await telemetry.close();
      history.close();
    },
  };
}
