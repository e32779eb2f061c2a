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

export type CallContext = { face: 'electron' | 'browser' | 'cli'; actor: string };

export type CoreHandlers = {
  [N in CallName]: (input: CallParsedInput<N>, context: CallContext) => Promise<CallOutput<N>>;
};

export type EventListener = (event: { name: EventName; payload: unknown }) => void;

/** Fans core events out to every face that listens; a throwing listener never breaks the others. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly logger: Logger) {}

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const checked = events[name].parse(payload);
    for (const listener of this.listeners) {
      try {
        listener({ name, payload: checked });
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
