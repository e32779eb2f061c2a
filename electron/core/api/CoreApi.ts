import { AppError, serializeError } from '../../../shared/errors/AppError';
import { calls, isCallName, type CallName, type CallOutput, type CallParsedInput } from '../../../shared/ipc/contract';
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
