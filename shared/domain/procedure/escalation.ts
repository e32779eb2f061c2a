import { z } from 'zod';

import { LocalizedTextSchema } from './vocabulary';

/** The runbook's four escalation levels, with the contacts the team sets in settings. */

/** Someone to call at a level; the workstation ships none, the team sets them in settings. */
export const EscalationContactSchema = z
  .object({
    name: z.string().trim().min(1, 'a contact has a name').max(100),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ().-]{2,29}$/, 'a phone number: digits, spaces, dashes, an optional leading +')
      .optional(),
    email: z.email('an e-mail address').optional(),
    note: z.string().trim().max(200).optional(),
  })
  .strict()
  .refine((c) => c.phone !== undefined || c.email !== undefined, {
    message: 'a contact needs a phone number or an e-mail address',
  });
export type EscalationContact = z.infer<typeof EscalationContactSchema>;

export const EscalationLevelSchema = z
  .object({
    level: z.number().int().min(1).max(4),
    role: LocalizedTextSchema,
    responseMinutes: z.number().int().min(1).max(10_080),
    actions: LocalizedTextSchema,
    contacts: z.array(EscalationContactSchema).max(20),
  })
  .strict();
export type EscalationLevel = z.infer<typeof EscalationLevelSchema>;

export const EscalationMatrixSchema = z.object({
  levels: z
    .array(EscalationLevelSchema)
    .length(4, 'the matrix has the four levels of the runbook')
    .refine((levels) => levels.every((l, i) => l.level === i + 1), {
      message: 'levels are 1, 2, 3 and 4, in order',
    }),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type EscalationMatrix = z.infer<typeof EscalationMatrixSchema>;
