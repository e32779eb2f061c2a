import { useId, useState } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { useRun } from './runContext';

/** Ending a run early: aborted with the reason, or escalated to a level of the escalation matrix. */
export function RunControls() {
  const { t } = useI18n();
  const isBusy = useRun((state) => state.isBusy);
  const { abort, escalate } = useRun((state) => state.actions);
  const [reason, setReason] = useState('');
  const [level, setLevel] = useState(1);
  const [note, setNote] = useState('');
  const id = useId();
  return (
    <details className="panel run__controls" data-testid="run-controls">
      <summary>{t('run.endEarly')}</summary>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t('run.abortReason')}</label>
        <input
          id={`${id}-reason`}
          value={reason}
          data-testid="run-abort-reason"
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <button
        type="button"
        className="button"
        data-testid="run-abort"
        disabled={isBusy || reason.trim().length < 3}
        onClick={() => void abort(reason.trim())}
      >
        {t('run.abort')}
      </button>
      <div className="field">
        <label htmlFor={`${id}-level`}>{t('run.escalateLevel')}</label>
        <select id={`${id}-level`} value={level} onChange={(event) => setLevel(Number(event.target.value))}>
          {[1, 2, 3, 4].map((each) => (
            <option key={each} value={each}>
              {t('run.level', { level: each })}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('run.note')}</label>
        <input id={`${id}-note`} value={note} onChange={(event) => setNote(event.target.value)} />
      </div>
      <button
        type="button"
        className="button"
        data-testid="run-escalate"
        disabled={isBusy}
        onClick={() => void escalate(level, note)}
      >
        {t('run.escalate')}
      </button>
    </details>
  );
}
