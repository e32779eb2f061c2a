import { routeHref } from '../../platform/routes';
import { useI18n } from '../../i18n/I18nProvider';
import { LogbookView } from './LogbookView';

/** The whole fleet's logbook. */
export function LogbookPage() {
  const { t } = useI18n();
  return (
    <section className="page" data-testid="logbook-page">
      <header className="page__head">
        <h1 className="page__title">{t('logbook.title')}</h1>
        <a className="button" href={routeHref({ page: 'siteReport' })} data-testid="open-site-report">
          {t('logbook.siteReport')}
        </a>
      </header>
      <p className="muted">{t('logbook.intro')}</p>
      <LogbookView />
    </section>
  );
}
