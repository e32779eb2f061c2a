import { StringDecoder } from 'node:string_decoder';

import { LOG_BATCH_MAX } from '../../../shared/ipc/contracts/logs';
import type { LogLine } from '../../../shared/domain/unitLogs';
import { isAppError } from '../../../shared/errors/AppError';
import type { Logger } from '../ports/Logger';
import { LineOutbox } from '../streams/LineOutbox';
import type { StreamHandle, StreamSource } from '../streams/StreamHub';
import type { Connection, StreamingExec } from '../transport/transport';
import { LineSplitter, parseJournalLine } from './journalLines';

/** Lines the consumer has not acknowledged, at most: a few seconds of a very chatty unit. */
const LINE_WINDOW = 5_000;
/** Lines held for a consumer that is behind; older ones give way (counted). */
const LINE_CAPACITY = 20_000;
/** Lines leave in batches about this often: ten screen updates a second at most. */
export const LOG_FLUSH_MS = 100;

/**
 * One `journalctl --follow` on a unit: its output is read as fast as the vehicle sends it (journalctl is never held
 * back), cut into lines and entries, and sent to the consumer in batches under the credit window; when the consumer
 * falls behind, the oldest waiting lines give way and the next batch says how many.
 */
export class LogFollow implements StreamSource {
  private readonly decoder = new StringDecoder('utf8');
  private readonly splitter = new LineSplitter();
  private readonly outbox: LineOutbox<LogLine>;
  private handle: StreamHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopReason: string | undefined;
  private readonly finished: Promise<void>;

  constructor(
    private readonly exec: StreamingExec,
    private readonly connection: Connection,
    private readonly logger: Logger,
  ) {
    this.outbox = new LineOutbox<LogLine>({
      window: LINE_WINDOW,
      batchMax: LOG_BATCH_MAX,
      capacity: LINE_CAPACITY,
      send: (lines, dropped) => {
        const handle = this.handle;
        handle?.emit('logs.lines', { streamId: handle.id, lines, dropped });
      },
    });
    this.finished = exec.done.then(
      (end) =>
        this.finish(
          this.stopReason ?? `the journal follow ended (exit ${end.exitCode ?? end.signal ?? '?'})`,
          end.exitCode,
        ),
      (error: unknown) => this.finish(this.stopReason ?? (isAppError(error) ? error.message : String(error)), null),
    );
  }

  get done(): Promise<void> {
    return this.finished;
  }

  attach(handle: StreamHandle): void {
    this.handle = handle;
    this.exec.stdout.on('data', (chunk: Buffer) => this.take(this.decoder.write(chunk)));
    this.timer = setInterval(() => this.outbox.flush(), LOG_FLUSH_MS);
  }

  onAck(amount: number): void {
    this.outbox.acknowledged(amount);
  }

  async stop(reason: string): Promise<void> {
    this.stopReason ??= reason;
    this.exec.cancel(reason);
    await this.finished;
  }

  private take(text: string): void {
    const lines: LogLine[] = [];
    for (const raw of this.splitter.push(text)) {
      const line = parseJournalLine(raw);
      if (line !== null) {
        lines.push(line);
      }
    }
    this.outbox.push(lines);
  }

  private async finish(reason: string, exitCode: number | null): Promise<void> {
    clearInterval(this.timer);
    this.take(this.decoder.end());
    for (const raw of this.splitter.end()) {
      const line = parseJournalLine(raw);
      if (line !== null) {
        this.outbox.push([line]);
      }
    }
    this.outbox.flush();
    if (this.outbox.droppedTotal > 0) {
      this.logger.info('log follow dropped lines its window could not keep up with', {
        dropped: this.outbox.droppedTotal,
      });
    }
    this.handle?.ended(reason, exitCode);
    await this.connection.close();
  }
}
