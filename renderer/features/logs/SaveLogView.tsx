import { useCallback, useState } from 'react';

import type { LogLine } from '../../../shared/domain/unitLogs';
import type { CallInput, CallOutput } from '../../../shared/ipc/contract';
import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { localized } from '../../i18n/localized';
import { useCallResult } from '../../platform/useCallResult';

type Filter = CallInput<'logs.saveView'>['filter'];

/** Keeps the lines on show as evidence, of a procedure run on the unit (the one running, unless another is chosen). */
export function SaveLogView({ unit, lines, filter }: { unit: string; lines: readonly LogLine[]; filter: Filter }) {
  const api = useApi();
  const { t } = useI18n();
  const [isOpen, setOpen] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const [saved, setSaved] = useState<CallOutput<'logs.saveView'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setSaving] = useState(false);
  const loadRuns = useCallback(() => api.call('procedures.runs', { unit, limit: 20 }), [api, unit]);
  const runs = useCallResult(loadRuns);
  const running = (runs.value ?? []).filter((run) => run.state === 'running');
  const chosen = runId ?? running[0]?.runId ?? '';

  const save = async (): Promise<void> => {
    setSaving(true);
    setError(null);
    try {
      setSaved(
        await api.call('logs.saveView', {
          unit,
          runId: chosen === '' ? null : chosen,
          lines: lines.slice(-20_000),
          filter,
        }),
      );
      setOpen(false);
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="save-view">
      <button
        type="button"
        className="button button--small"
        onClick={() => setOpen((open) => !open)}
        disabled={lines.length === 0}
        aria-expanded={isOpen}
        data-testid="logs-save"
      >
        {t('logs.save')}
      </button>
      {isOpen ? (
        <div className="save-view__form" data-testid="logs-save-form">
          <RunChoice runs={runs.value ?? []} chosen={chosen} onChoose={setRunId} />
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() => void save()}
            disabled={isSaving}
            data-testid="logs-save-confirm"
          >
            {t('logs.save.confirm', { count: lines.length })}
          </button>
        </div>
      ) : null}
      {saved ? (
        <a
          className="save-view__done"
          href={routeHref({ page: 'logView', name: unit, viewId: saved.id })}
          data-testid="logs-saved"
        >
          {t('logs.saved', { count: saved.lines })}
        </a>
      ) : null}
      {error ? <ErrorNotice error={error} testId="logs-save-error" /> : null}
    </div>
  );
}

/** The procedure run the saved lines become evidence of, or none. */
function RunChoice(props: { runs: CallOutput<'procedures.runs'>; chosen: string; onChoose: (runId: string) => void }) {
  const { t, language } = useI18n();
  return (
    <label>
      {t('logs.save.run')}
      <select value={props.chosen} onChange={(event) => props.onChoose(event.target.value)} data-testid="logs-save-run">
        <option value="">{t('logs.save.noRun')}</option>
        {props.runs.map((run) => (
          <option key={run.runId} value={run.runId}>
            {localized(run.title, language)} · {t(`run.state.${run.state}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
