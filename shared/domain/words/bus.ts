import type { Template } from '../said';

export const BUS_WORDS = {} as const satisfies Record<string, Template>;
