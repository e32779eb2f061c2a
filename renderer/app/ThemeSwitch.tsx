import { useId, useState } from 'react';

import { useI18n } from '../i18n/I18nProvider';
import { applyTheme, isTheme, readTheme, THEMES, writeTheme } from '../platform/theme';

/** Light, dark, or as the system says (the default): remembered on this computer. */
export function ThemeSwitch() {
  const { t } = useI18n();
  const id = useId();
  const [theme, setTheme] = useState(() => readTheme(window.localStorage));
  return (
    <span className="theme">
      <label htmlFor={id} className="visually-hidden">
        {t('theme.label')}
      </label>
      <select
        id={id}
        className="theme__select"
        value={theme}
        data-testid="theme-switch"
        onChange={(event) => {
          const next = event.target.value;
          if (isTheme(next)) {
            setTheme(next);
            writeTheme(window.localStorage, next);
            applyTheme(document.documentElement, next);
          }
        }}
      >
        {THEMES.map((choice) => (
          <option key={choice} value={choice}>
            {t(`theme.${choice}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
