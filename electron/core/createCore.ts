import { AppError } from '../../shared/errors/AppError';
import type { Envelope } from '../../shared/ipc/envelope';
import type { CallName } from '../../shared/ipc/contract';
import { AUDITED_CALLS } from './api/auditedCalls';
import { dispatchCall, type CallContext, type CoreHandlers } from './api/CoreApi';
import { FeatureRegistry } from './featureRegistry';
import { FEATURES } from './features';
import type { EventHub } from './ports/EventHub';
import type { KeychainPort, KeyProvider } from './ports/KeyProvider';
import type { PdfPrinter } from './ports/PdfPrinter';
import type { HistoryRepository } from './history/HistoryRepository';
import { openSharedServices, type SharedServices, type SharedServicesOptions } from './sharedServices';

export { HISTORY_FILE, recordedActor } from './sharedServices';

export type CoreOptions = SharedServicesOptions & {
  face: CallContext['face'];
  /** True when this face can only get the store passphrase by asking the technician for it. */
  passphraseMustBeAsked?: boolean;
  /** Prints reports to PDF (Electron's printToPDF, or headless Chromium behind the CLI and the browser host). */
  pdfPrinter?: PdfPrinter;
  /** The backup store's passphrase source (the desktop app's OS keychain); OHTW_PASSPHRASE otherwise. */
  keyProvider?: KeyProvider;
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

export async function createCore(options: CoreOptions): Promise<Core> {
  const shared = openSharedServices(options);
  const { history, streams, session } = shared;
  const registry = new FeatureRegistry();
  const features = FEATURES.map((register) =>
    registry.add(
      register({
        ...shared,
        face: options.face,
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
  const guarded = guardAudited(handlers, shared);

  let closed = false;
  return {
    dataDir: options.dataDir,
    handlers,
    events: shared.events,
    history,
    dispatch: (name, input, context) =>
      dispatchCall(
        guarded,
        name,
        input,
        {
          face: context?.face ?? options.face,
          actor: context?.actor ?? shared.actor(),
          ...(context?.client === undefined ? {} : { client: context.client }),
        },
        shared.logger,
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

/** A call that records what it does first checks that the audit log can take the row. */
function guardAudited(
  handlers: CoreHandlers,
  { readOnly, dataDir, history }: Pick<SharedServices, 'readOnly' | 'dataDir' | 'history'>,
): CoreHandlers {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      AUDITED_CALLS.has(name as CallName)
        ? async (input: never, context: CallContext) => {
            if (readOnly) {
              throw new AppError(
                'PRECONDITION_FAILED',
                `the data folder ${dataDir} is read-only: it can be read (units, history, procedures, audit verify), but nothing can be done that would be recorded`,
                { details: { dataDir } },
              );
            }
            history.assertAuditWritable();
            return (handler as (input: never, context: CallContext) => Promise<unknown>)(input, context);
          }
        : handler,
    ]),
  ) as CoreHandlers;
}
