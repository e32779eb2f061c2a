/** Texts of the procedures feature; en.ts and vi.ts merge them. The Vietnamese object must have exactly the English keys. */
export const proceduresEn = {} as const;
export const proceduresVi: Record<keyof typeof proceduresEn, string> = {};
