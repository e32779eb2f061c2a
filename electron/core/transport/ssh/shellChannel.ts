import { PassThrough } from 'node:stream';

import type { Client, ClientChannel, PseudoTtyOptions } from 'ssh2';

import { AppError } from '../../../../shared/errors/AppError';
import type { InteractiveShell, ShellEnd, ShellOptions } from '../transport';
import type { ExecContext } from './channelRequest';
import { closedByWorkstation, lostDuring } from './execErrors';
import { errorMessage } from './oneLine';
import { hangUpChannel } from './stopChannel';

/** What output buffers before the vehicle is held back; ssh2's own window sits behind it. */
const OUTPUT_HIGH_WATER_MARK = 256 * 1024;

/**
 * Opens the login shell on its own session channel, with a pseudo-terminal when asked. Closing hangs up as a
 * terminal emulator does (SIGHUP, then the channel closes, which closes the pseudo-terminal on the vehicle), so the
 * shell and what it started in the foreground end with it.
 */
export function openShellOnClient(client: Client, options: ShellOptions, ctx: ExecContext): Promise<InteractiveShell> {
  return new Promise((resolve, reject) => {
    const onOpen = (error: Error | undefined, channel: ClientChannel): void => {
      if (error !== undefined) {
        unregister();
        reject(
          new AppError('COMMAND_FAILED', `${ctx.label}: the vehicle refused a shell: ${errorMessage(error)}`, {
            cause: error,
          }),
        );
        return;
      }
      resolve(wrapShell(channel, ctx, unregister));
    };
    // The connection may end while the channel is being opened: the promise must still settle.
    const unregister = ctx.onEnd((end) => {
      reject(end.byWorkstation ? closedByWorkstation(ctx.label) : lostDuring(ctx.label, 'shell', end.reason));
      return undefined;
    });
    try {
      if (options.pty === null) {
        client.shell(false, onOpen);
      } else {
        const pty: PseudoTtyOptions = { cols: options.pty.cols, rows: options.pty.rows, term: options.pty.term };
        client.shell(pty, onOpen);
      }
    } catch (error) {
      unregister();
      reject(closedByWorkstation(ctx.label));
      ctx.logger.debug('shell on a closed client', { error: String(error) });
    }
  });
}

function wrapShell(channel: ClientChannel, ctx: ExecContext, unregister: () => void): InteractiveShell {
  const output = new PassThrough({ highWaterMark: OUTPUT_HIGH_WATER_MARK });
  let exit: ShellEnd = { exitCode: null, signal: null };
  let isClosed = false;
  const forward = (chunk: Buffer): void => {
    if (!output.write(chunk)) {
      channel.pause();
    }
  };
  output.on('drain', () => channel.resume());
  channel.on('data', forward);
  channel.stderr.on('data', forward);
  channel.on('exit', (code: number | null, signalName?: string) => {
    exit = { exitCode: typeof code === 'number' ? code : null, signal: signalName ?? null };
  });
  channel.on('error', (error: Error) => ctx.logger.debug('shell channel error', { error: error.message }));
  const done = new Promise<ShellEnd>((resolve) => {
    channel.once('close', () => {
      isClosed = true;
      unregister();
      output.end();
      resolve(exit);
    });
  });
  return {
    output,
    write(data) {
      if (!isClosed) {
        channel.write(data);
      }
    },
    endInput() {
      if (!isClosed) {
        channel.end();
      }
    },
    resize(cols, rows) {
      if (!isClosed) {
        channel.setWindow(rows, cols, 0, 0);
      }
    },
    done,
    close() {
      if (!isClosed) {
        hangUpChannel(channel);
      }
    },
  };
}
