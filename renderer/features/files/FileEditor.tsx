import { useState } from 'react';

import type { RemoteFile } from '../../../shared/domain/remoteFiles';
import type { CallOutput } from '../../../shared/ipc/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { DiffView } from './FileContent';

type Plan = CallOutput<'files.planEdit'>;
type Applied = CallOutput<'files.applyEdit'>;

/**
 * Editing a text file on the unit: the change is reviewed as a diff with what it needs (a running service that
 * reads the file means the vehicle must be stopped), confirmed, then written; the old file goes to the store first.
 */
export function FileEditor(props: { unit: string; file: RemoteFile; onDone: (applied: Applied | null) => void }) {
  const api = useApi();
  const { t } = useI18n();
  const { file } = props;
  const [text, setText] = useState(file.text ?? '');
  const [plan, setPlan] = useState<Plan | null>(null);
  const [isConfirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const edit = { unit: props.unit, path: file.entry.path, text, baseSha256: file.sha256 };

  const run = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="file-editor" data-testid="file-editor">
      {plan === null ? (
        <>
          <textarea
            className="file-editor__text"
            value={text}
            onChange={(event) => setText(event.target.value)}
            spellCheck={false}
            aria-label={t('files.edit.text', { path: file.entry.path })}
            data-testid="file-editor-text"
          />
          <div className="file-editor__actions">
            <button
              type="button"
              className="button button--primary"
              disabled={isBusy}
              onClick={() => void run(async () => setPlan(await api.call('files.planEdit', edit)))}
              data-testid="file-review"
            >
              {t('files.edit.review')}
            </button>
            <button type="button" className="button" onClick={() => props.onDone(null)}>
              {t('files.edit.cancel')}
            </button>
          </div>
        </>
      ) : (
        <>
          <DiffView diff={plan.diff} testId="file-plan-diff" />
          {plan.services.length > 0 ? (
            <p
              className={`notice notice--inline ${plan.running.length > 0 ? 'notice--attention' : ''}`}
              data-testid="file-plan-services"
            >
              {plan.running.length > 0
                ? t('files.edit.gated', { services: plan.running.join(', ') })
                : t('files.edit.services', { services: plan.services.join(', ') })}
            </p>
          ) : null}
          <p className="muted">{t('files.edit.backupFirst')}</p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={isConfirmed}
              onChange={(event) => setConfirmed(event.target.checked)}
              data-testid="file-confirm"
            />
            {t('files.edit.confirm', { path: file.entry.path })}
          </label>
          <div className="file-editor__actions">
            <button
              type="button"
              className="button button--primary"
              disabled={!isConfirmed || isBusy || plan.unchanged}
              onClick={() =>
                void run(async () => props.onDone(await api.call('files.applyEdit', { ...edit, confirm: true })))
              }
              data-testid="file-apply"
            >
              {t('files.edit.apply')}
            </button>
            <button type="button" className="button" onClick={() => setPlan(null)} data-testid="file-back">
              {t('files.edit.back')}
            </button>
          </div>
        </>
      )}
      {error ? <ErrorNotice error={error} testId="file-edit-error" /> : null}
    </div>
  );
}
