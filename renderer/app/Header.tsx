import type { ReactNode } from 'react';

import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from './LanguageSwitch';
import { LiveIndicator } from './LiveIndicator';
import { routeHref } from '../platform/routes';
import { ThemeSwitch } from './ThemeSwitch';

/** App name, where the data lives, the language and the theme: always visible, so nobody has to guess either. */
export function Header({
  dataDir,
  version,
  nav,
  team,
}: {
  dataDir?: string;
  version?: string;
  nav?: ReactNode;
  /** The team sync's indicator, when the app has one. */
  team?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <header className="header">
      <a className="header__brand" href={routeHref({ page: 'fleet' })} title={dataDir}>
        <img className="header__logo" src="./favicon.svg" alt="" width={24} height={24} />
        <span className="header__brand-name">{t('app.name')}</span>
      </a>
      {version ? <span className="header__version">{t('header.version', { version })}</span> : null}
      {nav}
      <span className="header__spacer" />
      {team}
      <LiveIndicator />
      {dataDir ? (
        <span className="header__data" title={dataDir}>
          <span className="header__label">{t('header.dataDir')}</span>{' '}
          <span className="mono" data-testid="data-dir">
            {dataDir}
          </span>
        </span>
      ) : null}
      <LanguageSwitch />
      <ThemeSwitch />
    </header>
  );
}
