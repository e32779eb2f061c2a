import type { Template } from '../said';

export const FINDING_WORDS = {} as const satisfies Record<string, Template>;
