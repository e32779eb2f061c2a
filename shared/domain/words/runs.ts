import type { Template } from '../said';

export const RUN_WORDS = {} as const satisfies Record<string, Template>;
