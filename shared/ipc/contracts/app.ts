import { z } from 'zod';

/** What the workstation is: its version, its data folder and the face asking. */
export const appCalls = {
  'app.info': {
    input: z.object({}),
    output: z.object({ version: z.string(), dataDir: z.string(), face: z.enum(['electron', 'browser', 'cli']) }),
  },
} as const;

export const appEvents = {} as const;
