import { useCallback } from 'react';

import type { LogbookEntry } from '../../../shared/domain/logbook';
import { routeHref, routePath } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useNavigation } from '../../platform/NavigationProvider';
import { LogbookView } from '../logbook';
import { useUnit } from '../../platform/stores/unitContext';

/** The unit's history: the fleet's logbook filtered to this unit; a sweep opens its health tree in place. */
export function HistoryList() {
  const { t } = useI18n();
  const name = useUnit((state) => state.name);
  const historyVersion = useUnit((state) => state.historyVersion);
  const historyError = useUnit((state) => state.historyError);
  const shownRunId = useUnit((state) => state.report?.runId ?? null);
  const refresh = useUnit((state) => state.actions.refresh);
  const selectRun = useUnit((state) => state.actions.selectRun);
  const navigation = useNavigation();

  const open = useCallback(
    (entry: LogbookEntry) => {
      if (entry.code === 'diagnosis' && entry.ref) {
        // The sweep's health tree is on the Health tab.
        void selectRun(entry.ref);
        navigation.go(routePath({ page: 'unit', name }));
        return true;
      }
      return false;
    },
    [selectRun, navigation, name],
  );
  const isCurrent = useCallback(
    (entry: LogbookEntry) => entry.code === 'diagnosis' && entry.ref === shownRunId,
    [shownRunId],
  );

  return (
    <section className="panel history">
      <header className="panel__head">
        <h2 className="section-title">{t('history.title')}</h2>
        <a className="button" href={routeHref({ page: 'serviceRecord', name })} data-testid="open-service-record">
          {t('record.open')}
        </a>
      </header>
      {historyError ? <ErrorNotice error={historyError} testId="history-error" onRetry={() => void refresh()} /> : null}
      <LogbookView
        fixedUnit={name}
        refreshKey={historyVersion}
        onOpen={open}
        isCurrent={isCurrent}
        entryTestId="history-entry"
      />
    </section>
  );
}
