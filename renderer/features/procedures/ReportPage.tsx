import { useCallback } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { actorText } from '../../i18n/actor';
import { useApi } from '../../platform/ApiProvider';
import { routeHref } from '../../platform/routes';
import { localized } from '../../i18n/localized';
import { GateReading, OutcomeText } from './OutcomeText';
import { useCallResult } from '../../platform/useCallResult';

/**
 * The service report of a run, laid out for paper: the browser's (or Electron's) print to PDF turns this page into
 * the PDF the customer keeps. Everything on it comes from the recorded run.
 */
export function ReportPage({ runId }: { runId: string }) {
  const api = useApi();
  const { t, time, language } = useI18n();
  const load = useCallback(
    async () => ({ run: await api.call('procedures.run.get', { runId }), info: await api.call('app.info', {}) }),
    [api, runId],
  );
  const result = useCallResult(load);
  if (result.error) {
    return <ErrorNotice error={result.error} testId="report-load-error" onRetry={result.reload} />;
  }
  if (!result.value) {
    return <p className="muted">{t('run.loading')}</p>;
  }
  const { run, info } = result.value;
  return (
    <article className="report-sheet" data-testid="report-page" data-run-id={run.runId}>
      <div className="toolbar no-print">
        <a href={routeHref({ page: 'run', runId })}>← {t('report.back')}</a>
        <button type="button" className="button button--primary" data-testid="report-print" onClick={() => print()}>
          {t('report.print')}
        </button>
      </div>
      <header>
        <h1>{t('report.title')}</h1>
        <h2 data-testid="report-procedure">
          {localized(run.procedure.title, language)} · {run.procedure.id} v{run.procedure.version}
        </h2>
      </header>
      <dl className="report-sheet__facts">
        <dt>{t('report.units')}</dt>
        <dd data-testid="report-units">{run.units.join(', ')}</dd>
        <dt>{t('report.started')}</dt>
        <dd>
          {time(run.startedAt)} · {actorText(run.startedBy, t)}
        </dd>
        <dt>{t('report.outcome')}</dt>
        <dd data-testid="report-outcome">
          {t(`run.state.${run.state}`)}
          {run.endedAt ? ` · ${time(run.endedAt)}` : ''}
          {run.abortReason ? ` · ${run.abortReason}` : ''}
          {run.escalationLevel !== null ? ` · ${t('run.level', { level: run.escalationLevel })}` : ''}
        </dd>
        <dt>{t('report.signature')}</dt>
        <dd data-testid="report-signature">
          {run.signature
            ? `${run.signature.signedBy} · ${time(run.signature.signedAt)} · sha256:${run.signature.recordHash}`
            : t('report.unsigned')}
        </dd>
        <dt>{t('report.app')}</dt>
        <dd>OHT-50 Workstation {info.version}</dd>
      </dl>
      <table className="report-sheet__steps">
        <thead>
          <tr>
            <th scope="col">{t('report.step')}</th>
            <th scope="col">{t('report.result')}</th>
            <th scope="col">{t('report.details')}</th>
          </tr>
        </thead>
        <tbody>
          {run.attempts.map((attempt) => {
            const step = run.steps.find((each) => each.stepId === attempt.stepId);
            return (
              <tr key={attempt.seq} data-testid={`report-attempt-${attempt.seq}`}>
                <td>
                  {step ? localized(step.title, language) : attempt.stepId}
                  <div className="muted">
                    {actorText(attempt.actor, t)} · {time(attempt.startedAt)}
                    {attempt.unit ? ` · ${attempt.unit}` : ''}
                  </div>
                </td>
                <td>{t(`attempt.${attempt.status}`)}</td>
                <td>
                  {attempt.outcome.message ? (
                    <p>
                      <OutcomeText said={attempt.outcome} />
                    </p>
                  ) : null}
                  {attempt.outcome.gates.map((gate) => (
                    <p key={`${gate.gate}-${gate.unit}`}>
                      {gate.gate}: {t(`gate.${gate.status}`)} (<GateReading gate={gate} />)
                    </p>
                  ))}
                  {attempt.outcome.overrides.map((override) => (
                    <p key={override.gate}>
                      {t('run.overridden', { gate: override.gate, by: override.by, reason: override.reason })}
                    </p>
                  ))}
                  {attempt.outcome.items.map((item) => (
                    <p key={item.id}>
                      {item.id}: {t(`checklist.${item.answer}`)}
                      {item.note ? ` (${item.note})` : ''}
                    </p>
                  ))}
                  {attempt.evidence.map((evidence) => (
                    <p key={evidence.sha256 + evidence.name} className="mono">
                      {evidence.kind === 'note' ? `“${evidence.text ?? ''}”` : evidence.name} sha256:{evidence.sha256}
                    </p>
                  ))}
                  {attempt.outcome.output ? <pre className="report-sheet__output">{attempt.outcome.output}</pre> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </article>
  );
}
