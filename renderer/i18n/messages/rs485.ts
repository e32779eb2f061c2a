/** Texts of the rs485 feature; en.ts and vi.ts merge them. The Vietnamese object must have exactly the English keys. */
export const rs485En = {} as const;
export const rs485Vi: Record<keyof typeof rs485En, string> = {};
