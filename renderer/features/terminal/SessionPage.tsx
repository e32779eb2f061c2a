import { useCallback } from 'react';

import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useCallResult } from '../../platform/useCallResult';
import { durationText } from './durationText';
import { SessionPlayer } from './SessionPlayer';

/** A recorded terminal session: who, when, how long, whether it still matches its audit entry, and its replay. */
export function SessionPage({ name, sessionId }: { name: string; sessionId: string }) {
  const api = useApi();
  const { t } = useI18n();
  const load = useCallback(() => api.call('terminal.recording', { sessionId }), [api, sessionId]);
  const recording = useCallResult(load);
  const session = recording.value?.session;
  return (
    <section className="page" data-testid="session-page">
      <a className="back" href={routeHref({ page: 'unit', name, tab: 'history' })} data-testid="back-link">
        ← {name}
      </a>
      <h1 className="page__title">{t('recordedSession.title', { unit: name })}</h1>
      {recording.error ? <ErrorNotice error={recording.error} testId="session-error" /> : null}
      {session && recording.value ? (
        <>
          <dl className="facts">
            <div>
              <dt>{t('recordedSession.by')}</dt>
              <dd>{session.actor}</dd>
            </div>
            <div>
              <dt>{t('recordedSession.started')}</dt>
              <dd>
                <Time iso={session.startedAt} />
              </dd>
            </div>
            <div>
              <dt>{t('recordedSession.duration')}</dt>
              <dd>{durationText(session.durationMs)}</dd>
            </div>
            <div>
              <dt>{t('recordedSession.ended')}</dt>
              <dd>{session.endReason ?? '—'}</dd>
            </div>
            <div>
              <dt>SHA-256</dt>
              <dd className="mono" title={session.sha256 ?? ''}>
                {session.sha256?.slice(0, 16) ?? '—'}…
              </dd>
            </div>
            {session.runId ? (
              <div>
                <dt>{t('recordedSession.run')}</dt>
                <dd>
                  <a href={routeHref({ page: 'run', runId: session.runId })}>{session.runId.slice(0, 8)}</a>
                </dd>
              </div>
            ) : null}
          </dl>
          <p
            className={`notice notice--inline ${recording.value.intact ? 'notice--ok' : 'notice--error'}`}
            data-testid="session-intact"
            data-intact={recording.value.intact}
          >
            {recording.value.intact ? t('recordedSession.intact') : t('recordedSession.notIntact')}
          </p>
          <SessionPlayer castText={recording.value.cast} />
        </>
      ) : null}
    </section>
  );
}
