import { useCallback } from 'react';

import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useCallResult } from '../../platform/useCallResult';
import { durationText } from './durationText';

/**
 * Terminal sessions and log views recorded on a unit, or as evidence of a procedure run: each opens its replay or
 * its lines.
 */
export function ConsoleRecords(props: { unit: string } | { runId: string }) {
  const api = useApi();
  const { t } = useI18n();
  const key = 'unit' in props ? props.unit : props.runId;
  const byUnit = 'unit' in props;
  const load = useCallback(async () => {
    const query = byUnit ? { unit: key } : { runId: key };
    const [sessions, views] = await Promise.all([
      api.call('terminal.sessions', { ...query, limit: 50 }),
      api.call('logs.views', query),
    ]);
    return { sessions, views };
  }, [api, key, byUnit]);
  const records = useCallResult(load);
  const sessions = records.value?.sessions ?? [];
  const views = records.value?.views ?? [];
  if (!byUnit && sessions.length === 0 && views.length === 0 && records.error === null) {
    return null;
  }
  return (
    <section className="panel console-records" data-testid="console-records">
      <header className="panel__head">
        <h2 className="section-title">{byUnit ? t('records.title') : t('records.runTitle')}</h2>
        <button type="button" className="button button--small" onClick={records.reload}>
          {t('records.refresh')}
        </button>
      </header>
      {records.error ? <ErrorNotice error={records.error} testId="records-error" onRetry={records.reload} /> : null}
      {records.value && sessions.length === 0 && views.length === 0 ? (
        <p className="muted">{t('records.none')}</p>
      ) : null}
      <ul className="console-records__list">
        {sessions.map((session) => (
          <li key={session.id} data-testid="record-session">
            <a href={routeHref({ page: 'session', name: session.unit, sessionId: session.id })}>
              {t('records.session', { duration: durationText(session.durationMs) })}
            </a>{' '}
            <span className="muted">
              {session.actor} · <Time iso={session.startedAt} />
              {session.endedAt === null ? ` · ${t('records.open')}` : ''}
            </span>
          </li>
        ))}
        {views.map((view) => (
          <li key={view.id} data-testid="record-log-view">
            <a href={routeHref({ page: 'logView', name: view.unit, viewId: view.id })}>
              {t('records.logView', { lines: view.lines })}
            </a>{' '}
            <span className="muted">
              {view.actor} · <Time iso={view.savedAt} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
