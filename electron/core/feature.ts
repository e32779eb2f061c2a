import type BetterSqlite3 from 'better-sqlite3';

import type { CallName } from '../../shared/ipc/contract';
import type { CoreHandlers } from './api/CoreApi';
import type { EventHub } from './ports/EventHub';
import type { DiagnosticsService } from './diagnostics/DiagnosticsService';
import type { HistoryRepository } from './history/HistoryRepository';
import type { KeyProvider } from './ports/KeyProvider';
import type { AppLayout } from './paths/appLayout';
import type { Clock } from './ports/Clock';
import type { Logger } from './ports/Logger';
import type { PdfPrinter } from './ports/PdfPrinter';
import type { SettingsStore } from './settings/SettingsStore';
import type { StreamHub } from './streams/StreamHub';
import type { UnitConnector } from './units/unitConnection';
import type { UnitService } from './units/UnitService';

/** What createCore hands every feature: the shared services, built once. */
export type FeatureDeps = {
  dataDir: string;
  /** Where the application's own files are (shipped resources, renderer build, version). */
  layout: AppLayout;
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
  /** Prints HTML to PDF where the face has a browser engine (Electron, or Chromium behind the CLI); else absent. */
  pdfPrinter: PdfPrinter | undefined;
  /** Where the backup store's passphrase comes from; absent means OHTW_PASSPHRASE from the environment. */
  keyProvider: KeyProvider | undefined;
};

/**
 * A feature (RS485 bus doctor, backups, procedures) answers its own slice of the contract and owns its
 * resources; createCore merges the slices and closes every feature when the core closes.
 */
export type CoreFeature<N extends CallName> = {
  handlers: Pick<CoreHandlers, N>;
  close(): Promise<void>;
};

/** What a feature's own audit check found: entries checked, and the first whose content no longer matches. */
export type AuditCheckResult = { checked: number; firstBroken: { seq: number; reason: string } | null };
