import { useCallback, useId, useState } from 'react';
import { describeChange, type JsonChange } from '../../../shared/domain/jsonDiff';
import type { Procedure } from '../../../shared/domain/procedure';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { routeHref } from '../../platform/routes';
import { localized } from '../../i18n/localized';
import { StartForm } from './StartForm';
import { StepOutline } from './StepOutline';
import { useCallResult } from '../../platform/useCallResult';

/** One procedure: what it is for, its steps with their commands and gates, a start form, and editing. */
export function ProcedurePage({ id }: { id: string }) {
  const api = useApi();
  const { t, language } = useI18n();
  const [version, setVersion] = useState<number | null>(null);
  const load = useCallback(
    () => api.call('procedures.get', version === null ? { id } : { id, version }),
    [api, id, version],
  );
  const result = useCallResult(load);
  const [isEditing, setEditing] = useState(false);
  const shown = result.value;

  return (
    <section className="page procedure" data-testid="procedure-page">
      <p>
        <a href={routeHref({ page: 'procedures' })}>← {t('procedures.title')}</a>
      </p>
      {result.error ? <ErrorNotice error={result.error} testId="procedure-error" onRetry={result.reload} /> : null}
      {shown ? (
        <>
          <div className="page__head">
            <h1 className="page__title" data-testid="procedure-title">
              {localized(shown.procedure.title, language)}
            </h1>
            <span className="muted" data-testid="procedure-version">
              {t('procedures.version', { version: shown.procedure.version })}
              {shown.source === 'user' ? ` · ${t('procedures.edited')}` : ''}
            </span>
          </div>
          <p>{localized(shown.procedure.summary, language)}</p>
          {shown.supersedes ? <SupersedesNotice supersedes={shown.supersedes} changes={shown.changes} /> : null}
          <p className="muted">
            {t('procedure.runbook')}: <span translate="no">{shown.procedure.runbook}</span>
          </p>
          {shown.versions.length > 1 ? (
            <div className="toolbar">
              <span>{t('procedure.versions')}</span>
              {shown.versions.map((each) => (
                <button
                  key={each}
                  type="button"
                  className="button button--small"
                  aria-pressed={each === shown.procedure.version}
                  data-testid={`procedure-version-${each}`}
                  onClick={() => setVersion(each === shown.latest ? null : each)}
                >
                  v{each}
                </button>
              ))}
            </div>
          ) : null}
          <div className="procedure__columns">
            <StepOutline procedure={shown.procedure} />
            <div>
              {shown.procedure.version === shown.latest ? (
                <StartForm
                  key={shown.procedure.id}
                  procedureId={shown.procedure.id}
                  parameters={shown.procedure.parameters}
                  allowSeveral={shown.procedure.category === 'routine' || shown.procedure.category === 'checklist'}
                />
              ) : (
                <p className="notice notice--attention">{t('procedure.oldVersion')}</p>
              )}
              <div className="toolbar">
                <button
                  type="button"
                  className="button"
                  data-testid="procedure-edit"
                  onClick={() => setEditing((open) => !open)}
                >
                  {isEditing ? t('procedure.closeEditor') : t('procedure.edit')}
                </button>
              </div>
              {isEditing ? (
                <ProcedureEditor
                  procedure={shown.procedure}
                  onSaved={() => {
                    setVersion(null);
                    setEditing(false);
                    result.reload();
                  }}
                />
              ) : null}
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}

/** Edits the procedure as its JSON file; saving makes a new version, the shipped file is never touched. */
function ProcedureEditor({ procedure, onSaved }: { procedure: Procedure; onSaved: () => void }) {
  const api = useApi();
  const { t } = useI18n();
  const [text, setText] = useState(() => JSON.stringify(procedure, null, 2));
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const editorId = useId();

  const save = async (): Promise<void> => {
    setError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (caught) {
      setParseError(caught instanceof Error ? caught.message : String(caught));
      return;
    }
    setParseError(null);
    try {
      await api.call('procedures.save', { procedure: parsed, ...(note.trim() ? { note: note.trim() } : {}) });
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <div className="panel procedure__editor" data-testid="procedure-editor">
      <p className="muted">{t('procedure.editIntro')}</p>
      <label htmlFor={editorId}>{t('procedure.editJson')}</label>
      <textarea
        id={editorId}
        className="mono procedure__json"
        rows={20}
        spellCheck={false}
        value={text}
        data-testid="procedure-json"
        onChange={(event) => setText(event.target.value)}
      />
      <div className="field">
        <label htmlFor={`${editorId}-note`}>{t('procedure.editNote')}</label>
        <input id={`${editorId}-note`} value={note} onChange={(event) => setNote(event.target.value)} />
      </div>
      {parseError ? (
        <p className="notice notice--error" role="alert" data-testid="procedure-json-error">
          {t('procedure.jsonError', { reason: parseError })}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} testId="procedure-save-error" /> : null}
      <button type="button" className="button button--primary" data-testid="procedure-save" onClick={() => void save()}>
        {t('procedure.saveVersion')}
      </button>
    </div>
  );
}

/** The technician's file in place of a shipped procedure: said plainly, with what it changes from the shipped one. */
function SupersedesNotice({
  supersedes,
  changes,
}: {
  supersedes: { version: number; file: string };
  changes: readonly JsonChange[];
}) {
  const { t } = useI18n();
  return (
    <div className="notice notice--attention" data-testid="procedure-supersedes">
      <p>{t('procedure.supersedes', { version: supersedes.version, file: supersedes.file })}</p>
      {changes.length === 0 ? (
        <p>{t('procedure.noChanges')}</p>
      ) : (
        <details open>
          <summary>{t('procedure.changes', { count: changes.length })}</summary>
          <ul className="mono" data-testid="procedure-changes">
            {changes.map((change) => (
              <li key={change.path}>{describeChange(change)}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
