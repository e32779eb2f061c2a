import { z } from 'zod';

import { HostKeyProbeSchema, NewUnitSchema, UnitNameSchema, UnitSchema } from '../../domain/unit';

/** The units this workstation knows: added, removed, and their SSH host keys probed and trusted. */
export const unitsCalls = {
  'units.list': {
    input: z.object({}),
    output: z.array(UnitSchema),
  },
  'units.add': {
    input: NewUnitSchema,
    output: UnitSchema,
  },
  'units.remove': {
    input: z.object({ name: UnitNameSchema }),
    output: z.object({ removed: z.boolean() }),
  },
  'units.probeHostKey': {
    input: z.object({ name: UnitNameSchema }),
    output: HostKeyProbeSchema,
  },
  'units.trust': {
    input: z.object({
      name: UnitNameSchema,
      fingerprint: z
        .string()
        .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256 fingerprint as ssh-keygen -l prints it')
        .optional(),
    }),
    output: HostKeyProbeSchema,
  },
} as const;

export const unitsEvents = {
  'units.changed': z.object({ name: z.string() }),
} as const;
