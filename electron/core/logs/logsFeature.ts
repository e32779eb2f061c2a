import type { LOGS_CALL_NAMES } from '../../../shared/ipc/names/logs';
import { activeRunLookup } from '../api/activeRun';
import type { AuditCheckResult, CoreFeature, FeatureDeps } from '../feature';
import { LogsService } from './LogsService';
import { LogViewStore } from './LogViewStore';

export type LogsCallName = (typeof LOGS_CALL_NAMES)[number];

/** Live logs' slice of the contract, and its own audit check (each saved view against its audit entry). */
export function createLogsFeature(deps: FeatureDeps): CoreFeature<LogsCallName> & { verifyAudit(): AuditCheckResult } {
  const views = new LogViewStore(deps.db);
  const service = new LogsService({
    history: deps.history,
    units: deps.units,
    connector: deps.connector,
    streams: deps.streams,
    views,
    clock: deps.clock,
    logger: deps.logger.child({ subsystem: 'logs' }),
    activeRun: activeRunLookup(deps),
  });
  return {
    handlers: {
      'logs.follow': async (input, context) => service.follow(input, context),
      'logs.read': async (input) => service.read(input),
      'logs.services': async (input) => service.services(input.unit),
      'logs.saveView': async (input, context) => service.saveView(input, context),
      'logs.views': async (input) => views.list(input),
      'logs.view': async (input) => service.view(input.id),
    },
    verifyAudit: () => views.verify(),
    // Follows end with their streams, which the core closes before its features.
    async close() {},
  };
}
