import { useEffect, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { actorText } from '../../i18n/actor';
import { useApi } from '../../platform/ApiProvider';
import { useLiveStatus } from '../../platform/LiveStatusProvider';
import { routeHref } from '../../platform/routes';
import { ConsoleRecords } from '../terminal';
import { AttemptList } from './AttemptList';
import { CurrentStepPanel } from './CurrentStepPanel';
import { localized } from '../../i18n/localized';
import { RunControls } from './RunControls';
import { RunEnd } from './RunEnd';
import { runContext, useRun } from './runContext';
import { createRunStore } from './runStore';

/** A run of a procedure, one step at a time. Mount with key={runId}. */
export function RunPage({ runId }: { runId: string }) {
  const api = useApi();
  const [store] = useState(() => createRunStore(api, runId));
  const { generation } = useLiveStatus();
  // After a reconnection, resubscribe and refetch: the run may have moved on meanwhile.
  useEffect(() => store.getState().actions.connect(), [store, generation]);
  return (
    <runContext.Context value={store}>
      <RunLayout />
    </runContext.Context>
  );
}

function RunLayout() {
  const { t, time, language } = useI18n();
  const run = useRun((state) => state.run);
  const loadError = useRun((state) => state.loadError);
  const actionError = useRun((state) => state.actionError);
  const load = useRun((state) => state.actions.load);

  if (!run) {
    return (
      <section className="page" data-testid="run-page">
        {loadError ? <ErrorNotice error={loadError} testId="run-error" onRetry={() => void load()} /> : null}
        {!loadError ? <p className="muted">{t('run.loading')}</p> : null}
      </section>
    );
  }
  const doneCount = run.steps.filter((step) => step.status === 'done' || step.status === 'skipped').length;
  return (
    <section className="page run" data-testid="run-page" data-run-id={run.runId} data-state={run.state}>
      <div className="page__head">
        <h1 className="page__title" data-testid="run-title">
          {localized(run.procedure.title, language)}
        </h1>
        <span className={`run-state run-state--${run.state}`} data-testid="run-state">
          {t(`run.state.${run.state}`)}
        </span>
      </div>
      <p className="muted" data-testid="run-meta">
        {t('run.meta', {
          version: run.procedure.version,
          units: run.units.join(', '),
          who: actorText(run.startedBy, t),
          time: time(run.startedAt),
        })}{' '}
        · <a href={routeHref({ page: 'procedure', id: run.procedure.id })}>{t('run.procedureLink')}</a>
      </p>
      <div className="run__progress" aria-hidden="true">
        <div className="run__bar" style={{ width: `${Math.round((doneCount / run.steps.length) * 100)}%` }} />
      </div>
      <p className="muted" data-testid="run-progress">
        {t('run.progress', { done: doneCount, total: run.steps.length })}
      </p>
      <div className="run__columns">
        <ol className="panel run__steps" data-testid="run-steps">
          {run.steps.map((step) => (
            <li
              key={step.stepId}
              className={`run__step run__step--${step.status}`}
              data-testid={`run-step-${step.stepId}`}
              data-status={step.status}
              aria-current={step.status === 'current' ? 'step' : undefined}
            >
              <span className="run__step-status">{t(`run.stepStatus.${step.status}`)}</span>{' '}
              {localized(step.title, language)}
            </li>
          ))}
        </ol>
        <div className="run__main">
          {actionError ? <ErrorNotice error={actionError} testId="run-action-error" /> : null}
          {run.state === 'running' && run.current ? <CurrentStepPanel key={run.current.stepId} /> : null}
          {run.state !== 'running' ? <RunEnd /> : null}
          {run.state === 'running' ? <RunControls /> : null}
          <AttemptList />
          {/* Terminal sessions and log views recorded on the unit while this run was active: its evidence too. */}
          <ConsoleRecords runId={run.runId} />
        </div>
      </div>
    </section>
  );
}
