import { useI18n } from '../i18n/I18nProvider';
import { Header } from './Header';

/** Opened in a browser without the host's link: say how to get in rather than fail every call. */
export function NoTokenPage() {
  const { t } = useI18n();
  return (
    <>
      <Header />
      <main className="main">
        <section className="page page--narrow" data-testid="no-token">
          <h1 className="page__title">{t('token.title')}</h1>
          <p>{t('token.body')}</p>
        </section>
      </main>
    </>
  );
}
