import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

import { BugError } from '../../shared/errors/AppError';
import type { MessageKey } from './en';
import { formatTime } from './format';
import { DICTIONARIES, isLanguage, translate, type Language, type MessageParams } from './languages';

export const LANGUAGE_STORAGE_KEY = 'ohtw.language';

type LanguageStorage = Pick<Storage, 'getItem' | 'setItem'>;

export type I18n = {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, params?: MessageParams) => string;
  time: (iso: string) => string;
};

const I18nContext = createContext<I18n | null>(null);

type Props = {
  /** Where the choice is remembered across launches; absent in tests that do not care. */
  storage?: LanguageStorage | undefined;
  /** Used when nothing was chosen yet, e.g. from the browser's own language. */
  fallback?: Language;
  children: ReactNode;
};

export function I18nProvider({ storage, fallback = 'en', children }: Props) {
  const [language, setLanguageState] = useState<Language>(() => readLanguage(storage) ?? fallback);

  const setLanguage = useCallback(
    (next: Language) => {
      setLanguageState(next);
      writeLanguage(storage, next);
    },
    [storage],
  );

  useEffect(() => {
    // Screen readers and the browser's spell checker and hyphenation follow the document language.
    document.documentElement.lang = language;
  }, [language]);

  const value = useMemo<I18n>(() => {
    const messages = DICTIONARIES[language];
    return {
      language,
      setLanguage,
      t: (key, params) => translate(messages, key, params),
      time: formatTime,
    };
  }, [language, setLanguage]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) {
    throw new BugError('useI18n() outside <I18nProvider>');
  }
  return i18n;
}

function readLanguage(storage: LanguageStorage | undefined): Language | null {
  try {
    const stored = storage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(stored) ? stored : null;
  } catch {
    // Storage can be refused (privacy settings); the language then lasts only for this page.
    return null;
  }
}

function writeLanguage(storage: LanguageStorage | undefined, language: Language): void {
  try {
    storage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // See readLanguage: not remembering is acceptable, failing the switch is not.
  }
}
