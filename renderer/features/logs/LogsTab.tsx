import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';

import { LOG_PRIORITIES, type LogPriority } from '../../../shared/domain/unitLogs';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useCallResult } from '../../platform/useCallResult';
import { logsContext, useLogs } from './logsContext';
import { LogList } from './LogList';
import { createLogsStore } from './logsStore';
import { SaveLogView } from './SaveLogView';
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

const DEFAULT_SOURCE = '';
const WHOLE_JOURNAL = '*';

function LogsLayout() {
  const { t } = useI18n();
  const api = useApi();
  const unit = useLogs((s) => s.unit);
  const source = useLogs((s) => s.source);
  const mode = useLogs((s) => s.mode);
  const at = useLogs((s) => s.at);
  const status = useLogs((s) => s.status);
  const error = useLogs((s) => s.error);
  const endReason = useLogs((s) => s.endReason);
  const lines = useLogs((s) => s.lines);
  const received = useLogs((s) => s.received);
  const dropped = useLogs((s) => s.dropped);
  const isPaused = useLogs((s) => s.isPaused);
  const actions = useLogs((s) => s.actions);
  const [text, setText] = useState('');
  const filterText = useDeferredValue(text.trim().toLowerCase());
  const loadServices = useCallback(() => api.call('logs.services', { unit }), [api, unit]);
  const services = useCallResult(loadServices);

  const shown = useMemo(
    () => (filterText === '' ? lines : lines.filter((line) => line.message.toLowerCase().includes(filterText))),
    [lines, filterText],
  );
  const focus = useMemo(() => {
    if (mode !== 'window' || at === null) {
      return null;
    }
    // The last line at or before the moment: what the vehicle had said when the check saw the failure.
    const atMs = Date.parse(at);
    const after = shown.findIndex((line) => line.atMs > atMs);
    const index = after < 0 ? shown.length - 1 : Math.max(0, after - 1);
    return shown.length === 0 ? null : index;
  }, [mode, at, shown]);
  const sourceValue = source.allServices ? WHOLE_JOURNAL : (source.services[0] ?? DEFAULT_SOURCE);

  return (
    <section className="panel logs" data-testid="logs-tab" data-status={status} data-mode={mode}>
      <div className="logs__bar">
        <label className="logs__field">
          {t('logs.source')}
          <select
            value={sourceValue}
            onChange={(event) => {
              const value = event.target.value;
              actions.setSource(
                value === WHOLE_JOURNAL
                  ? { allServices: true, services: [] }
                  : { allServices: false, services: value === DEFAULT_SOURCE ? [] : [value] },
              );
            }}
            data-testid="logs-source"
          >
            <option value={DEFAULT_SOURCE}>{t('logs.source.default')}</option>
            <option value={WHOLE_JOURNAL}>{t('logs.source.all')}</option>
            {(services.value ?? []).map((service) => (
              <option key={service.name} value={service.name}>
                {service.name} ({service.active})
              </option>
            ))}
          </select>
        </label>
        <label className="logs__field">
          {t('logs.priority')}
          <select
            value={source.priority}
            onChange={(event) => actions.setSource({ priority: event.target.value as LogPriority })}
            data-testid="logs-priority"
          >
            {LOG_PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {t(`logs.priority.${priority}`)}
              </option>
            ))}
          </select>
        </label>
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
      <p className="logs__status" data-testid="logs-status">
        {mode === 'window' && at !== null ? (
          <span data-testid="logs-window">
            {t('logs.window')} <Time iso={at} />
          </span>
        ) : (
          <span>{t(`logs.status.${status}`)}</span>
        )}
        <span className="logs__counts">
          <span data-testid="logs-shown" data-count={shown.length}>
            {t('logs.shown', { shown: shown.length, held: lines.length })}
          </span>
          <span data-testid="logs-received" data-count={received}>
            {t('logs.received', { count: received })}
          </span>
          <span className={dropped > 0 ? 'logs__dropped' : ''} data-testid="logs-dropped" data-count={dropped}>
            {t('logs.dropped', { count: dropped })}
          </span>
        </span>
      </p>
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
