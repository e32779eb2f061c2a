import { z } from 'zod';

import { ThresholdsSchema } from '../../domain/thresholds';

/** The workstation's settings: the health thresholds the diagnoses grade against. */
export const settingsCalls = {
  'settings.get': {
    input: z.object({}),
    output: z.object({ thresholds: ThresholdsSchema }),
  },
  'settings.setThresholds': {
    input: z.object({ thresholds: ThresholdsSchema }),
    output: z.object({ thresholds: ThresholdsSchema }),
  },
} as const;

export const settingsEvents = {} as const;
