import type { Client, ClientChannel } from 'ssh2';

import type { AppError } from '../../../../shared/errors/AppError';
import type { ExecOptions, ExecResult } from '../transport';
import { channelOpenFailed, execCancelled, execTimeout, sudoPasswordRequired } from './execErrors';
import { ChannelRequest, type ExecContext } from './channelRequest';
import { readChannel } from './readChannel';
import type { ChannelOutput } from './readChannel';
import { stopChannel } from './stopChannel';
import { sudoWantsPassword } from './sudo';

/**
 * Runs one command on its own session channel. A non-zero exit is a result; only the transport failing, the
 * time limit, cancellation and a sudo that wants a password are errors. Every path settles exactly once.
 */
export function execOnClient(
  client: Client,
  command: string,
  options: ExecOptions,
  ctx: ExecContext,
): Promise<ExecResult> {
  const { signal, timeoutMs } = options;
  if (signal?.aborted === true) {
    return Promise.reject(execCancelled(ctx.label, command));
  }
  const startedAt = performance.now();

  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    let channel: ClientChannel | undefined;
    const request = new ChannelRequest(command, ctx);

    const settle = (): boolean => {
      if (settled) {
        return false;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      unregisterEnd();
      return true;
    };
    const fail = (error: AppError): void => {
      if (!settle()) {
        return;
      }
      if (channel !== undefined) {
        stopChannel(channel);
      }
      ctx.logger.debug('ssh exec failed', { command, code: error.code });
      reject(error);
    };
    const finish = (output: ChannelOutput): void => {
      if (options.sudo === true && sudoWantsPassword(output.exitCode, output.stderr)) {
        fail(sudoPasswordRequired(ctx.label, ctx.username));
        return;
      }
      if (!settle()) {
        return;
      }
      const durationMs = Math.round(performance.now() - startedAt);
      ctx.logger.debug('ssh exec done', { command, exitCode: output.exitCode, signal: output.signal, durationMs });
      resolve({ ...output, durationMs });
    };
    const onChannel = (error: Error | undefined, opened: ClientChannel): void => {
      if (error !== undefined) {
        fail(channelOpenFailed(ctx.label, command, error));
        return;
      }
      if (settled) {
        // Timed out, cancelled or closed while the channel was being opened.
        stopChannel(opened);
        return;
      }
      channel = opened;
      readChannel(opened, ctx.logger, finish);
      // End stdin even when there is nothing to send, so a command that reads it does not wait forever.
      opened.end(options.stdin);
    };

    const onAbort = (): void => fail(execCancelled(ctx.label, command));
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => fail(execTimeout(ctx.label, command, timeoutMs)), timeoutMs);
    const unregisterEnd = request.failOnEnd(fail);
    request.send(client, options.sudo === true, fail, onChannel);
  });
}
