import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { AppError, isAppError } from '../../../../shared/errors/AppError';
import { hasStreamExec, type Connection, type StreamChannel } from '../../transport/transport';

export type RemoteRunResult = { exitCode: number | null; stdout: Buffer; stderr: string };

/** Output kept from one command (a listing of a large tree stays far below this). */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * The few ways a restore talks to the unit, over one SSH connection: run a script (its output as bytes, not text),
 * feed a command a byte stream on stdin, read a command's stdout as a stream.
 */
export type RemoteShell = {
  run(script: string, options: { sudo: boolean; timeoutMs: number; stdin?: Buffer | string }): Promise<RemoteRunResult>;
  /** Runs `script` with `input` piped to its stdin; resolves when the command ended. */
  feed(script: string, input: Readable, options: { sudo: boolean; idleTimeoutMs: number }): Promise<RemoteRunResult>;
  /** Runs `script` with `stdin` written to it and hands its stdout to `consume`; resolves when both are done. */
  read(
    script: string,
    stdin: Buffer,
    consume: (stdout: Readable) => Promise<void>,
    options: { sudo: boolean; idleTimeoutMs: number },
  ): Promise<RemoteRunResult>;
};

function streaming(connection: Connection): Connection & StreamChannel {
  if (!hasStreamExec(connection)) {
    throw new AppError('PRECONDITION_FAILED', `${connection.description}: this connection cannot stream files`);
  }
  return connection;
}

/** `sh -c` of a script: the script travels as one quoted argument, never as pasted text. */
export function remoteShell(connection: Connection): RemoteShell {
  const conn = streaming(connection);
  return {
    async run(script, options) {
      const exec = conn.execStream(script, {
        sudo: options.sudo,
        idleTimeoutMs: options.timeoutMs,
        stdin: 'pipe',
      });
      const chunks: Buffer[] = [];
      let size = 0;
      exec.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_OUTPUT_BYTES) {
          exec.cancel('the unit printed more than a restore reads');
          return;
        }
        chunks.push(chunk);
      });
      exec.stdin.on('error', () => undefined);
      exec.stdin.end(options.stdin ?? '');
      const end = await exec.done;
      return { exitCode: end.exitCode, stdout: Buffer.concat(chunks), stderr: end.stderr };
    },
    async feed(script, input, options) {
      const exec = conn.execStream(script, { sudo: options.sudo, idleTimeoutMs: options.idleTimeoutMs, stdin: 'pipe' });
      exec.stdout.resume();
      let sendError: unknown;
      const sending = pipeline(input, exec.stdin).catch((error: unknown) => {
        // The command ending early (a failed apply) closes stdin under the sender: `done` says why. A content stream
        // that fails (damaged backup) stops the command, so nothing half-sent is installed.
        sendError = error;
        input.destroy();
        exec.cancel('the content stream failed');
      });
      let end;
      try {
        end = await exec.done;
      } catch (error) {
        await sending;
        throw isAppError(sendError) ? sendError : error;
      }
      await sending;
      if (sendError !== undefined && end.exitCode === 0) {
        throw sendError instanceof Error ? sendError : new Error('the content stream failed');
      }
      return { exitCode: end.exitCode, stdout: Buffer.alloc(0), stderr: end.stderr };
    },
    async read(script, stdin, consume, options) {
      const exec = conn.execStream(script, { sudo: options.sudo, idleTimeoutMs: options.idleTimeoutMs, stdin: 'pipe' });
      exec.stdin.on('error', () => undefined);
      exec.stdin.end(stdin);
      let consumeError: unknown;
      const consuming = consume(exec.stdout).catch((error: unknown) => {
        consumeError = error;
        exec.cancel('reading the stream failed');
      });
      let end;
      try {
        end = await exec.done;
      } catch (error) {
        await consuming;
        throw consumeError instanceof Error ? consumeError : error;
      }
      await consuming;
      if (consumeError !== undefined) {
        throw consumeError instanceof Error ? consumeError : new Error('reading the stream failed');
      }
      return { exitCode: end.exitCode, stdout: Buffer.alloc(0), stderr: end.stderr };
    },
  };
}
