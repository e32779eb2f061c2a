import { z } from 'zod';

/*
 * Streams that flow while a page or the CLI follows them (a unit's terminal, its live logs). A feature's own call
 * opens one and answers its id; the stream's data then comes as that feature's events, addressed to the face that
 * opened it. Flow control is by credit: the producer sends at most a window of data the consumer has not
 * acknowledged, so a slow consumer holds the producer back (a terminal: the vehicle's output waits in the SSH window)
 * or makes it drop with a count (a log follow). An acknowledgement also renews the consumer's lease: a stream nobody
 * acknowledges for a while (a closed tab, a frozen page) is ended on the vehicle.
 */

export const StreamIdSchema = z.string().min(1).max(100);

export const STREAM_KINDS = ['terminal', 'logs'] as const;
export const StreamKindSchema = z.enum(STREAM_KINDS);
export type StreamKind = z.infer<typeof StreamKindSchema>;

export const streamCalls = {
  /**
   * The consumer took `amount` more (characters of a terminal's output, lines of a log follow): the producer may
   * send that much more. `amount: 0` only renews the lease. Answers whether the stream is still open.
   */
  'streams.ack': {
    input: z.object({ streamId: StreamIdSchema, amount: z.number().int().min(0).max(100_000_000) }),
    output: z.object({ open: z.boolean() }),
  },
  /** Ends a stream (the tab was closed): its channel on the vehicle is closed. False when it had already ended. */
  'streams.close': {
    input: z.object({ streamId: StreamIdSchema }),
    output: z.object({ closed: z.boolean() }),
  },
} as const;

export const streamEvents = {
  /** A stream ended: closed by its consumer, by the vehicle (the shell exited), by a lost link or an expired lease. */
  'streams.ended': z.object({
    streamId: z.string(),
    kind: StreamKindSchema,
    unit: z.string(),
    reason: z.string(),
    /** The remote program's exit status, when it ended by itself and said one. */
    exitCode: z.number().int().nullable(),
  }),
} as const;
