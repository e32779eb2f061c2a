import { AppError } from '../../../shared/errors/AppError';
import type { TelemetrySeries } from '../../../shared/domain/telemetry';
import type { EventHub } from '../api/CoreApi';
import type { Database } from '../history/openDatabase';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { UnitConnector } from '../units/unitConnection';

export type TelemetryDeps = {
  db: Database;
  history: HistoryRepository;
  connector: UnitConnector;
  events: EventHub;
  clock: Clock;
  logger: Logger;
};

/** Live sampling of a unit while a page (or `ohtw telemetry`) watches it, stored with a retention policy. */
export class TelemetryService {
  constructor(private readonly deps: TelemetryDeps) {}

  async start(_unit: string, _intervalMs: number): Promise<{ streamId: string }> {
    void this.deps;
    throw new AppError('INTERNAL', 'telemetry is not available yet');
  }

  async stop(_streamId: string): Promise<{ stopped: boolean }> {
    throw new AppError('INTERNAL', 'telemetry is not available yet');
  }

  history(_unit: string, _fromMs: number | undefined, _toMs: number | undefined, _maxPoints: number): TelemetrySeries {
    throw new AppError('INTERNAL', 'telemetry is not available yet');
  }

  /** Ends every stream and its connection (the core is closing). */
  async close(): Promise<void> {}
}
