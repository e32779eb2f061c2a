import { useDeferredValue, useEffect, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { logsContext, useLogs } from './logsContext';
import { LogList } from './LogList';
import { LogSourceFields } from './LogSourceFields';
import { LogsStatus } from './LogsStatus';
import { createLogsStore } from './logsStore';
import { SaveLogView } from './SaveLogView';
import { useShownLines } from './useShownLines';
import './logs.css';

/** The Logs tab: the unit's journal followed live, or the minutes around a moment (`at`: a failed check's time). */
export function LogsTab({ unit, at }: { unit: string; at: string | null }) {
  const api = useApi();
  const [store] = useState(() => createLogsStore(api, unit, at));
  useEffect(() => store.getState().actions.start(), [store]);
  useEffect(() => {
    if (at !== null && store.getState().at !== at) {
      store.getState().actions.showWindow(at);
    }
  }, [at, store]);
  return (
    <logsContext.Context value={store}>
      <LogsLayout />
    </logsContext.Context>
  );
}

function LogsLayout() {
  const { t } = useI18n();
  const unit = useLogs((s) => s.unit);
  const source = useLogs((s) => s.source);
  const mode = useLogs((s) => s.mode);
  const at = useLogs((s) => s.at);
  const status = useLogs((s) => s.status);
  const error = useLogs((s) => s.error);
  const endReason = useLogs((s) => s.endReason);
  const isPaused = useLogs((s) => s.isPaused);
  const actions = useLogs((s) => s.actions);
  const [text, setText] = useState('');
  const filterText = useDeferredValue(text.trim().toLowerCase());
  const { shown, focus } = useShownLines(filterText);

  return (
    <section className="panel logs" data-testid="logs-tab" data-status={status} data-mode={mode}>
      <div className="logs__bar">
        <LogSourceFields />
        <input
          type="search"
          className="logs__filter"
          placeholder={t('logs.filter')}
          aria-label={t('logs.filter')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          data-testid="logs-filter"
        />
        {mode === 'live' ? (
          <button
            type="button"
            className={`button button--small${isPaused ? ' button--primary' : ''}`}
            onClick={actions.togglePause}
            aria-pressed={isPaused}
            data-testid="logs-pause"
          >
            {isPaused ? t('logs.resume') : t('logs.pause')}
          </button>
        ) : (
          <button type="button" className="button button--small" onClick={actions.backToLive} data-testid="logs-live">
            {t('logs.backToLive')}
          </button>
        )}
        <SaveLogView unit={unit} lines={shown} filter={{ ...source, text: filterText, mode, at }} />
      </div>
      <LogsStatus shown={shown.length} />
      {status === 'ended' ? (
        <p className="notice notice--attention notice--inline" data-testid="logs-ended">
          <span>{t('logs.ended', { reason: endReason ?? '' })}</span>
          <button type="button" className="button button--small" onClick={actions.backToLive}>
            {t('logs.again')}
          </button>
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} testId="logs-error" onRetry={actions.backToLive} /> : null}
      <LogList lines={shown} focus={focus} />
    </section>
  );
}
