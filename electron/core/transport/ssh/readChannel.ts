import type { ClientChannel } from 'ssh2';

import type { Logger } from '../../ports/Logger';
import { createOutputCollector } from './outputCollector';

export type ChannelOutput = { exitCode: number | null; signal: string | null; stdout: string; stderr: string };

/**
 * Reads a session channel to its end and reports once. Both streams are always consumed: ssh2 only emits
 * 'close' after stdout has been read, and an unread stderr would stall the window.
 */
export function readChannel(channel: ClientChannel, logger: Logger, onClosed: (output: ChannelOutput) => void): void {
  const stdout = createOutputCollector();
  const stderr = createOutputCollector();
  // Stay null when the server closes the session without an exit status (RFC 4254 makes it optional).
  let exitCode: number | null = null;
  let exitSignal: string | null = null;
  // 'close' comes after stdout ends; stderr ends on its own, so both are awaited before the output is final.
  let pending = 2;
  const onDone = (): void => {
    pending -= 1;
    if (pending === 0) {
      onClosed({ exitCode, signal: exitSignal, stdout: stdout.text(), stderr: stderr.text() });
    }
  };

  channel.on('data', (chunk: Buffer) => stdout.push(chunk));
  channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  channel.on('exit', (code: number | null, signalName?: string) => {
    exitCode = code;
    exitSignal = signalName ?? null;
  });
  channel.on('error', (error: Error) => logger.debug('ssh channel error', { error: error.message }));
  channel.stderr.on('error', (error: Error) => logger.debug('ssh channel stderr error', { error: error.message }));
  channel.once('close', onDone);
  channel.stderr.once('end', onDone);
}
