import { z } from 'zod';

import {
  HostKeyConflictSchema,
  SyncResultSchema,
  TeamAuditVerificationSchema,
  TeamFleetUnitSchema,
  TeamStatusSchema,
} from '../../domain/team';
import { UnitNameSchema } from '../../domain/unit';

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

/** The team sync's calls and events; shared/ipc/contract.ts merges them into the one contract. */
export const teamCalls = {
  /**
   * Joins a team server (postgres://user@host:port/db): checks the sign-in and the TLS certificate (off the laptop),
   * brings the server's schema up to date and registers this laptop. The password is read from `passwordEnv`
   * (OHTW_TEAM_PASSWORD by default) or, where the face has an OS keychain, saved there from `password`; never stored
   * in plain text.
   */
  'team.join': {
    input: z.object({
      url: z.string().min(1).max(500),
      deviceLabel: z
        .string()
        .trim()
        .min(1)
        .max(60)
        .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), {
          message: 'a name without control characters',
        })
        .optional(),
      passwordEnv: EnvName.optional(),
      password: z.string().min(1).max(1024).optional(),
      caFile: z.string().min(1).max(4096).optional(),
    }),
    output: TeamStatusSchema,
  },
  /** Forgets the team server (what was pulled stays in the history). */
  'team.leave': { input: z.object({}), output: TeamStatusSchema },
  'team.status': { input: z.object({}), output: TeamStatusSchema },
  /**
   * Push then pull, in batches. `wait: false` starts it and answers at once (the UI's Sync now; the outcome comes as
   * a team.status event); a sync already running is joined, never started twice.
   */
  'team.sync': {
    input: z.object({ wait: z.boolean().default(true) }),
    output: z.object({ started: z.boolean(), result: SyncResultSchema.nullable() }),
  },
  'team.conflicts': { input: z.object({ unit: UnitNameSchema.optional() }), output: z.array(HostKeyConflictSchema) },
  /**
   * Every unit the team knows, with who visited last on which laptop: from this laptop's history (`local`, offline
   * too), or as the team server answers it now (`server`).
   */
  'team.fleet': {
    input: z.object({ source: z.enum(['local', 'server']).default('local') }),
    output: z.array(TeamFleetUnitSchema),
  },
  /** A colleague's procedure run, restore or backup manifest as pulled. */
  'team.record': {
    input: z.object({ entity: z.enum(['run', 'restore', 'backup']), id: z.string().min(1).max(200) }),
    output: z.object({
      entity: z.enum(['run', 'restore', 'backup']),
      id: z.string(),
      device: z.string(),
      unit: z.string().nullable(),
      at: z.string(),
      actor: z.string().nullable(),
      body: z.record(z.string(), z.unknown()),
    }),
  },
  /** Every device's audit chain on the team server (see README: what it proves, and against whom). */
  'team.verifyAudit': { input: z.object({}), output: TeamAuditVerificationSchema },
} as const;

export const teamEvents = {
  'team.status': TeamStatusSchema,
} as const;
