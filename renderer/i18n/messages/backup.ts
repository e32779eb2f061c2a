/** Texts of the backup feature; en.ts and vi.ts merge them. The Vietnamese object must have exactly the English keys. */
export const backupEn = {} as const;
export const backupVi: Record<keyof typeof backupEn, string> = {};
