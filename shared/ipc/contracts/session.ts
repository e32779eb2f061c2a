import { z } from 'zod';

import { SessionInfoSchema, TechnicianNameSchema } from '../../domain/unit';

/** Who is working at this workstation, and whether the store passphrase is at hand for this session. */
export const sessionCalls = {
  'session.get': {
    input: z.object({}),
    output: SessionInfoSchema,
  },
  /** Sets the technician's name for every later audit row, run step and signature; audited. */
  'session.setTechnician': {
    input: z.object({ name: TechnicianNameSchema }),
    output: SessionInfoSchema,
  },
  /** The store passphrase for this session (the desktop app without a real keyring); kept in memory only. */
  'session.unlock': {
    input: z.object({ passphrase: z.string().min(1).max(1024) }),
    output: SessionInfoSchema,
  },
} as const;

export const sessionEvents = {} as const;
