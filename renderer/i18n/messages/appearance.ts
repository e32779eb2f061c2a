/** Texts of the theme switch; en.ts and vi.ts merge them. The Vietnamese object must have exactly the English keys. */
export const appearanceEn = {
  'theme.label': 'Theme',
  'theme.system': '◐ System',
  'theme.light': '☀ Light',
  'theme.dark': '☾ Dark',
} as const;

export const appearanceVi: Record<keyof typeof appearanceEn, string> = {
  'theme.label': 'Giao diện',
  'theme.system': '◐ Hệ thống',
  'theme.light': '☀ Sáng',
  'theme.dark': '☾ Tối',
};
