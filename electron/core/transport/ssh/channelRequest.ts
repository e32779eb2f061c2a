import type { Client, ClientChannel } from 'ssh2';

import type { AppError } from '../../../../shared/errors/AppError';
import type { Logger } from '../../ports/Logger';
import { closedByWorkstation, lostDuring } from './execErrors';
import { sudoCommand } from './sudo';

/** How a connection ended: dropped underneath the workstation, or closed by it. */
export type ConnectionEnd = { byWorkstation: boolean; reason: string };

export type ExecContext = {
  label: string;
  username: string;
  logger: Logger;
  /**
   * Calls `listener` once if the connection ends; returns the function that unregisters it. The listener may
   * return a promise the closing side should wait for before it drops the socket.
   */
  onEnd(listener: (end: ConnectionEnd) => Promise<void> | undefined): () => void;
};

/**
 * The request for one command's session channel, shared by the buffered and the streamed exec: it knows when ssh2
 * has answered, so that a connection closing while the channel opens waits for that answer and stops the command.
 */
export class ChannelRequest {
  private markAnswered = (): void => undefined;
  private readonly answered = new Promise<void>((resolve) => {
    this.markAnswered = resolve;
  });
  private opened = false;

  constructor(
    private readonly command: string,
    private readonly ctx: ExecContext,
  ) {}

  /**
   * Fails the command with `fail` if the connection ends; returns the function that unregisters it. While the channel
   * is still being opened the closing side waits until ssh2 has answered.
   */
  failOnEnd(fail: (error: AppError) => void): () => void {
    const { ctx, command } = this;
    return ctx.onEnd((end) => {
      const opening = !this.opened;
      fail(end.byWorkstation ? closedByWorkstation(ctx.label) : lostDuring(ctx.label, command, end.reason));
      return opening ? this.answered : undefined;
    });
  }

  /** Asks for the channel (through `sudo -n` when asked); a client already closed fails the command at once. */
  send(
    client: Client,
    sudo: boolean,
    fail: (error: AppError) => void,
    onChannel: (error: Error | undefined, opened: ClientChannel) => void,
  ): void {
    try {
      client.exec(sudo ? sudoCommand(this.command) : this.command, (error, opened) => {
        this.markAnswered();
        if (error === undefined) {
          this.opened = true;
        }
        onChannel(error, opened);
      });
    } catch (error) {
      // ssh2 throws 'Not connected' synchronously once the socket is gone.
      this.ctx.logger.debug('ssh exec on a closed client', { error: String(error) });
      fail(closedByWorkstation(this.ctx.label));
    }
  }
}
