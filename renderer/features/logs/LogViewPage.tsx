import { useCallback } from 'react';

import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useCallResult } from '../../platform/useCallResult';

/** Log lines kept as evidence, as they were saved, and whether they still match their audit entry. */
export function LogViewPage({ name, viewId }: { name: string; viewId: string }) {
  const api = useApi();
  const { t } = useI18n();
  const load = useCallback(() => api.call('logs.view', { id: viewId }), [api, viewId]);
  const found = useCallResult(load);
  const view = found.value?.view;
  return (
    <section className="page" data-testid="log-view-page">
      <a className="back" href={routeHref({ page: 'unit', name, tab: 'history' })}>
        ← {name}
      </a>
      <h1 className="page__title">{t('logView.title', { unit: name })}</h1>
      {found.error ? <ErrorNotice error={found.error} testId="log-view-error" /> : null}
      {view && found.value ? (
        <>
          <p className="muted">
            {t('logView.meta', { lines: view.lines, actor: view.actor })} <Time iso={view.savedAt} />
            {view.runId ? (
              <>
                {' · '}
                <a href={routeHref({ page: 'run', runId: view.runId })}>{t('logView.run')}</a>
              </>
            ) : null}
          </p>
          <p
            className={`notice notice--inline ${found.value.intact ? 'notice--ok' : 'notice--error'}`}
            data-testid="log-view-intact"
          >
            {found.value.intact ? t('recordedSession.intact') : t('recordedSession.notIntact')}
          </p>
          <pre className="log-view__content" data-testid="log-view-content">
            {found.value.content}
          </pre>
        </>
      ) : null}
    </section>
  );
}
