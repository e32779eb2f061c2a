import type { Envelope } from '../../shared/ipc/envelope';
import { EventHub, type CallContext, type CoreHandlers } from './api/CoreApi';
import type { Clock } from './ports/Clock';
import type { Logger } from './ports/Logger';

export type CoreOptions = {
  dataDir: string;
  face: CallContext['face'];
  clock?: Clock;
  logger?: Logger;
  /** Where secrets referenced by name (password and passphrase variables) are looked up. */
  env?: Record<string, string | undefined>;
};

/** The composition root of the core: every face builds one and talks to it only through dispatch and events. */
export type Core = {
  readonly dataDir: string;
  readonly handlers: CoreHandlers;
  readonly events: EventHub;
  dispatch(name: unknown, input: unknown, context?: Partial<CallContext>): Promise<Envelope<unknown>>;
  close(): Promise<void>;
};

export async function createCore(_options: CoreOptions): Promise<Core> {
  throw new Error('createCore: being written');
}
