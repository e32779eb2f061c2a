import type { TERMINAL_CALL_NAMES } from '../../../shared/ipc/names/terminal';
import { activeRunLookup } from '../api/activeRun';
import type { AuditCheckResult, CoreFeature, FeatureDeps } from '../feature';
import { verifyRecordings } from './recordingCheck';
import { TerminalService } from './TerminalService';
import { TerminalStore } from './TerminalStore';

export type TerminalCallName = (typeof TERMINAL_CALL_NAMES)[number];

/** The terminal's slice of the contract, and its own audit check (each recording against its audit entry). */
export function createTerminalFeature(
  deps: FeatureDeps,
): CoreFeature<TerminalCallName> & { verifyAudit(): AuditCheckResult } {
  const store = new TerminalStore(deps.db);
  const service = new TerminalService({
    db: deps.db,
    store,
    history: deps.history,
    units: deps.units,
    connector: deps.connector,
    streams: deps.streams,
    clock: deps.clock,
    logger: deps.logger.child({ subsystem: 'terminal' }),
    activeRun: activeRunLookup(deps),
  });
  return {
    handlers: {
      'terminal.open': async (input, context) => service.open(input, context),
      'terminal.input': async (input, context) => ({ accepted: service.input(input, context) }),
      'terminal.resize': async (input, context) => {
        service.resize(input, context);
        return { cols: input.cols, rows: input.rows };
      },
      'terminal.sessions': async (input) => service.list(input),
      'terminal.recording': async (input) => service.recording(input.sessionId),
    },
    verifyAudit: () => verifyRecordings(deps.db, store),
    // Open sessions end with their streams, which the core closes before its features.
    async close() {},
  };
}
