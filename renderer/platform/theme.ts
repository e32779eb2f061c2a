export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_STORAGE_KEY = 'ohtw.theme';

type ThemeStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

/** The remembered choice; the system's when nothing was chosen or the storage refuses to answer. */
export function readTheme(storage: ThemeStorage | undefined): Theme {
  try {
    const stored = storage?.getItem(THEME_STORAGE_KEY);
    return isTheme(stored) ? stored : 'system';
  } catch {
    // Storage can be refused (privacy settings); the theme then follows the system.
    return 'system';
  }
}

export function writeTheme(storage: ThemeStorage | undefined, theme: Theme): void {
  try {
    storage?.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // See readTheme: not remembering is acceptable, failing the switch is not.
  }
}

/**
 * Puts the theme on the document: the stylesheet's tokens follow `color-scheme`, which is the system's unless
 * `data-theme` on the root element names one. Called before the first paint so a dark room never sees a flash.
 */
export function applyTheme(root: Pick<HTMLElement, 'setAttribute' | 'removeAttribute'>, theme: Theme): void {
  if (theme === 'system') {
    root.removeAttribute('data-theme');
  } else {
    root.setAttribute('data-theme', theme);
  }
}
