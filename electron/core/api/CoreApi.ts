import { AppError, serializeError } from '../../../shared/errors/AppError';
import {
  calls,
  events,
  isCallName,
  type CallName,
  type CallOutput,
  type CallParsedInput,
  type EventName,
  type EventPayload,
} from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import { parseUnknown } from '../../../shared/ipc/validate';
import type { Logger } from '../ports/Logger';

export type CallContext = {
  face: 'electron' | 'browser' | 'cli';
  actor: string;
  /**
   * The page that made the call, where a face serves several (each browser page names itself); streams it opens are
   * addressed to it alone and end when it goes away. Absent for the desktop window and the CLI.
   */
  client?: string | undefined;
};

export type CoreHandlers = {
  [N in CallName]: (input: CallParsedInput<N>, context: CallContext) => Promise<CallOutput<N>>;
};

/** `to`: the only client the event is for (a stream's data); absent: every listener's business. */
export type CoreEvent = { name: EventName; payload: unknown; to?: string | undefined };
export type EventListener = (event: CoreEvent) => void;

/** Fans core events out to every face that listens; a throwing listener never breaks the others. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly logger: Logger) {}

  emit<E extends EventName>(name: E, payload: EventPayload<E>, to?: string): void {
    const checked = events[name].parse(payload);
    const event: CoreEvent = to === undefined ? { name, payload: checked } : { name, payload: checked, to };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn('event listener failed', { event: name, error: String(error) });
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * The single door into the core for every face: checks the call name, validates the input,
 * runs the handler, checks the output against the contract, and answers with an envelope.
 */
export async function dispatchCall(
  handlers: CoreHandlers,
  name: unknown,
  rawInput: unknown,
  context: CallContext,
  logger: Logger,
): Promise<Envelope<unknown>> {
  try {
    if (!isCallName(name)) {
      throw new AppError('NOT_FOUND', `Unknown call: ${String(name)}`);
    }
    const input = parseUnknown(calls[name].input, rawInput ?? {}, `input for ${name}`);
    const handler = handlers[name] as (input: unknown, context: CallContext) => Promise<unknown>;
    const value = await handler(input, context);
    const output = calls[name].output.safeParse(value);
    if (!output.success) {
      logger.error('handler returned a value outside the contract', { call: name, issues: output.error.issues });
      throw new AppError('INTERNAL', `The workstation produced an invalid answer to ${name}`);
    }
    return { ok: true, value: output.data };
  } catch (error) {
    if (!(error instanceof AppError)) {
      logger.error('call failed unexpectedly', { call: String(name), error: String(error) });
    }
    return { ok: false, error: serializeError(error) };
  }
}
