import { z } from 'zod';

import { HistoryEntrySchema, UnitNameSchema } from '../../domain/unit';

/** A unit's entries in the fleet history, newest first. */
export const historyCalls = {
  'history.list': {
    input: z.object({ name: UnitNameSchema, limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.array(HistoryEntrySchema),
  },
} as const;

export const historyEvents = {} as const;
