import type BetterSqlite3 from 'better-sqlite3';

import type { CallName } from '../../shared/ipc/contract';
import type { CallContext, CoreHandlers } from './api/CoreApi';
import type { DiagnosticsService } from './diagnostics/DiagnosticsService';
import type { HistoryRepository } from './history/HistoryRepository';
import type { AppLayout } from './paths/appLayout';
import type { Clock } from './ports/Clock';
import type { EventHub } from './ports/EventHub';
import type { FeatureCalls, LentPorts, LentPortsLookup } from './ports/FeatureCalls';
import type { KeychainPort, KeyProvider } from './ports/KeyProvider';
import type { Logger } from './ports/Logger';
import type { PdfPrinter } from './ports/PdfPrinter';
import type { SessionPassphrase } from './session/SessionPassphrase';
import type { SettingsStore } from './settings/SettingsStore';
import type { StreamHub } from './streams/StreamHub';
import type { UnitConnector } from './units/unitConnection';
import type { UnitService } from './units/UnitService';

/** What createCore hands every feature: the shared services, built once. */
export type FeatureDeps = {
  dataDir: string;
  /** Where the application's own files are (shipped resources, renderer build, version). */
  layout: AppLayout;
  /** The face this core serves, and who is acting when a feature works on its own account (a sync, a report). */
  face: CallContext['face'];
  actor: () => string;
  db: BetterSqlite3.Database;
  history: HistoryRepository;
  events: EventHub;
  clock: Clock;
  logger: Logger;
  env: Record<string, string | undefined>;
  connector: UnitConnector;
  units: UnitService;
  diagnostics: DiagnosticsService;
  settings: SettingsStore;
  /** Streams that flow to a face (a terminal, a log follow), with their consumers' leases. */
  streams: StreamHub;
  /** The store passphrase entered for this session, and whether this face can only get it by asking for it. */
  session: SessionPassphrase;
  passphraseMustBeAsked: boolean;
  /** Prints HTML to PDF where the face has a browser engine (Electron, or Chromium behind the CLI); else absent. */
  pdfPrinter: PdfPrinter | undefined;
  /** Where the backup store's passphrase comes from; absent means OHTW_PASSPHRASE from the environment. */
  keyProvider: KeyProvider | undefined;
  /** Where the team server's password is kept by the OS keychain (the desktop app); the environment otherwise. */
  teamKeychain: KeychainPort | undefined;
  /** Rows per team sync batch (tests make it small to cut a sync in the middle). */
  teamBatchSize: number | undefined;
  /** Other features' calls, and the services they lend: the only way one feature reaches another. */
  calls: FeatureCalls;
  lent: LentPortsLookup;
};

/**
 * A feature answers its own slice of the contract and owns its resources; createCore merges the slices and closes
 * every feature when the core closes. `verifyAudit` checks what the feature keeps beside the audit chain (a terminal
 * recording, a saved log view); `lends` fills ports other features use.
 */
export type CoreFeature<N extends CallName> = {
  handlers: Pick<CoreHandlers, N>;
  close(): Promise<void>;
  verifyAudit?: () => AuditCheckResult;
  lends?: Partial<LentPorts>;
};

/** How a feature is registered with the core: one function from the shared services to the feature. */
export type FeatureRegistration<N extends CallName> = (deps: FeatureDeps) => CoreFeature<N>;

/** What a feature's own audit check found: entries checked, and the first whose content no longer matches. */
export type AuditCheckResult = { checked: number; firstBroken: { seq: number; reason: string } | null };
