import { useCallback } from 'react';

import { LOG_PRIORITIES, type LogPriority } from '../../../shared/domain/unitLogs';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useCallResult } from '../../platform/useCallResult';
import { useLogs } from './logsContext';

const DEFAULT_SOURCE = '';
const WHOLE_JOURNAL = '*';

/** Which journal the view reads (the firmware's, the whole journal, or one service) and from which priority up. */
export function LogSourceFields() {
  const { t } = useI18n();
  const api = useApi();
  const unit = useLogs((s) => s.unit);
  const source = useLogs((s) => s.source);
  const actions = useLogs((s) => s.actions);
  const loadServices = useCallback(() => api.call('logs.services', { unit }), [api, unit]);
  const services = useCallResult(loadServices);
  const sourceValue = source.allServices ? WHOLE_JOURNAL : (source.services[0] ?? DEFAULT_SOURCE);
  return (
    <>
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
    </>
  );
}
