import { useCallback, useEffect } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { actorText } from '../../i18n/actor';
import { useApi } from '../../platform/ApiProvider';
import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { localized } from '../../i18n/localized';
import { useCallResult } from '../../platform/useCallResult';

/** The procedures run on one unit, newest first, each linking to its run and report. */
export function UnitRuns({ unit }: { unit: string }) {
  const api = useApi();
  const { t, time, language } = useI18n();
  const load = useCallback(() => api.call('procedures.runs', { unit, limit: 20 }), [api, unit]);
  const runs = useCallResult(load);
  const { reload } = runs;
  useEffect(
    () =>
      api.on('procedures.runChanged', (event) => {
        if (event.units.includes(unit)) {
          reload();
        }
      }),
    [api, unit, reload],
  );
  return (
    <section className="panel unit-runs" data-testid="unit-runs">
      <header className="panel__head">
        <h2 className="section-title">{t('unitRuns.title')}</h2>
        <a className="button button--small" href={routeHref({ page: 'procedures' })} data-testid="unit-runs-library">
          {t('unitRuns.library')}
        </a>
      </header>
      {runs.error ? <ErrorNotice error={runs.error} testId="unit-runs-error" onRetry={reload} /> : null}
      {runs.value && runs.value.length === 0 ? <p className="muted">{t('unitRuns.none')}</p> : null}
      <ul className="unit-runs__list">
        {(runs.value ?? []).map((run) => (
          <li key={run.runId} data-testid={`unit-run-${run.runId}`}>
            <a href={routeHref({ page: 'run', runId: run.runId })}>{localized(run.title, language)}</a>{' '}
            <span className={`run-state run-state--${run.state}`}>{t(`run.state.${run.state}`)}</span>
            {run.signed ? ` · ${t('unitRuns.signed')}` : ''}{' '}
            <span className="muted">
              {actorText(run.startedBy, t)} · {time(run.startedAt)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
