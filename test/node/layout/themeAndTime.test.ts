import { describe, expect, it } from 'vitest';

import { formatMoment, formatTime } from '../../../renderer/i18n/format';
import { applyTheme, readTheme, THEME_STORAGE_KEY, writeTheme } from '../../../renderer/platform/theme';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

function fakeRoot() {
  const attributes = new Map<string, string>();
  return {
    attributes,
    setAttribute: (name: string, value: string) => void attributes.set(name, value),
    removeAttribute: (name: string) => void attributes.delete(name),
  };
}

describe('the theme choice', () => {
  it('follows the system until a theme is chosen, and remembers the choice', () => {
    const storage = memoryStorage();
    expect(readTheme(storage)).toBe('system');
    writeTheme(storage, 'dark');
    expect(storage.items.get(THEME_STORAGE_KEY)).toBe('dark');
    expect(readTheme(storage)).toBe('dark');
  });

  it('ignores a stored value that is not a theme, and storage that refuses', () => {
    expect(readTheme(memoryStorage({ [THEME_STORAGE_KEY]: 'purple' }))).toBe('system');
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(readTheme(refusing)).toBe('system');
    expect(() => writeTheme(refusing, 'light')).not.toThrow();
  });

  it('names a chosen theme on the root element and removes it to follow the system again', () => {
    const root = fakeRoot();
    applyTheme(root, 'light');
    expect(root.attributes.get('data-theme')).toBe('light');
    applyTheme(root, 'dark');
    expect(root.attributes.get('data-theme')).toBe('dark');
    applyTheme(root, 'system');
    expect(root.attributes.has('data-theme')).toBe(false);
  });
});

describe('moments on screen', () => {
  it('are local, ISO-like and the same in every language', () => {
    const at = new Date(2026, 11, 7, 14, 50, 9);
    expect(formatTime(at.toISOString())).toBe('2026-12-07 14:50');
    expect(formatMoment(at.getTime(), true)).toBe('2026-12-07 14:50:09');
    expect(formatMoment(new Date(2026, 0, 3, 4, 5, 6).getTime())).toBe('2026-01-03 04:05');
  });

  it('shows what cannot be read as a moment as it is', () => {
    expect(formatTime('yesterday')).toBe('yesterday');
  });
});
