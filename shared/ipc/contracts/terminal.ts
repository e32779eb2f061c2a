import { z } from 'zod';

import { TerminalSessionSchema, TerminalSessionsQuerySchema, TerminalSizeSchema } from '../../domain/terminal';
import { UnitNameSchema } from '../../domain/unit';
import { StreamIdSchema } from './streams';

/** Input travels in pieces no bigger than this: a paste is cut by the sender, keystrokes are far smaller. */
export const TERMINAL_INPUT_MAX = 64 * 1024;
/** Output travels in pieces no bigger than this (characters). */
export const TERMINAL_OUTPUT_CHUNK_MAX = 64 * 1024;

/**
 * A recorded terminal per unit: an interactive login shell over the unit's SSH connection (the pinned host key and
 * the diagnosis's credentials), its output as `terminal.output` events under the stream's flow control, keystrokes
 * and resizes as calls. Every session is recorded (asciicast v2) into the fleet history and its SHA-256 entered in
 * the audit log when it ends.
 */
export const terminalCalls = {
  'terminal.open': {
    input: z.object({
      unit: UnitNameSchema,
      cols: TerminalSizeSchema.shape.cols.default(80),
      rows: TerminalSizeSchema.shape.rows.default(24),
      term: z
        .string()
        .regex(/^[A-Za-z0-9._+-]{1,40}$/)
        .default('xterm-256color'),
      /** False: no terminal on the vehicle; the input is a script the shell runs, ending with the input. */
      interactive: z.boolean().default(true),
    }),
    output: z.object({
      streamId: z.string(),
      sessionId: z.string(),
      unit: z.string(),
      runId: z.string().nullable(),
      startedAt: z.string(),
    }),
  },
  /** Keystrokes or pasted text, in order; `end` closes the input (a piped script is complete). */
  'terminal.input': {
    input: z.object({
      streamId: StreamIdSchema,
      data: z.string().max(TERMINAL_INPUT_MAX),
      end: z.boolean().default(false),
    }),
    output: z.object({ accepted: z.number().int() }),
  },
  'terminal.resize': {
    input: z.object({ streamId: StreamIdSchema, ...TerminalSizeSchema.shape }),
    output: TerminalSizeSchema,
  },
  /** Sessions, newest first: a unit's, or those recorded while a procedure run was active. */
  'terminal.sessions': {
    input: TerminalSessionsQuerySchema,
    output: z.array(TerminalSessionSchema),
  },
  /** One session's recording (asciicast v2 text), checked against the hash in its audit entry. */
  'terminal.recording': {
    input: z.object({ sessionId: z.string().min(1) }),
    output: z.object({
      session: TerminalSessionSchema,
      cast: z.string(),
      /** The recording still has the SHA-256 its audit entry names. */
      intact: z.boolean(),
    }),
  },
} as const;

export const terminalEvents = {
  /** What the shell printed, in order (`seq` counts from 1 per stream); acknowledge with streams.ack. */
  'terminal.output': z.object({
    streamId: z.string(),
    seq: z.number().int().positive(),
    data: z.string().max(TERMINAL_OUTPUT_CHUNK_MAX),
  }),
} as const;
