import { useMemo, useState } from 'react';

import type { LogbookEntry, LogbookFilter } from '../../../shared/domain/logbook';
import { describeEntry, kindLabel } from '../../../shared/domain/logbookKinds';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { actorText } from '../../i18n/actor';
import { useApi } from '../../platform/ApiProvider';
import { saveFile } from '../../platform/saveFile';
import { EntryDetail } from './EntryDetail';
import { LogbookFilters } from './LogbookFilters';
import { useLogbook } from './useLogbook';
import './logbook.css';

type Props = {
  /** The unit page: the same view, filtered to its unit. */
  fixedUnit?: string | undefined;
  /** Changes when the caller knows something new was recorded (the unit page after a sweep). */
  refreshKey?: unknown;
  /** Handles a click itself (the unit page shows a sweep in place); returns false to open the detail view. */
  onOpen?: ((entry: LogbookEntry) => boolean) | undefined;
  isCurrent?: ((entry: LogbookEntry) => boolean) | undefined;
  entryTestId?: string;
};

/** The fleet's logbook: filters, entries in words, newest first, older pages by cursor, detail, export. */
export function LogbookView({ fixedUnit, refreshKey, onOpen, isCurrent, entryTestId = 'logbook-entry' }: Props) {
  const { t, language } = useI18n();
  const api = useApi();
  const [chosen, setChosen] = useState<LogbookFilter>({});
  const filter = useMemo(
    () => (fixedUnit === undefined ? chosen : { ...chosen, units: [fixedUnit] }),
    [chosen, fixedUnit],
  );
  const logbook = useLogbook(filter, refreshKey);
  const [opened, setOpened] = useState<LogbookEntry | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);

  const exportAs = async (format: 'csv' | 'json') => {
    setExportError(null);
    try {
      const file = await api.call('logbook.export', { filter, format, language });
      saveFile(new Blob([file.content], { type: file.mediaType }), file.fileName);
    } catch (error) {
      setExportError(error);
    }
  };

  const tools = (
    <>
      <LogbookFilters filter={chosen} onChange={setChosen} fixedUnit={fixedUnit} />
      <div className="toolbar logbook__export">
        <span>{t('logbook.export')}</span>
        <button type="button" className="button" onClick={() => void exportAs('csv')} data-testid="logbook-export-csv">
          CSV
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void exportAs('json')}
          data-testid="logbook-export-json"
        >
          JSON
        </button>
        {exportError ? <ErrorNotice error={exportError} testId="logbook-export-error" /> : null}
      </div>
    </>
  );

  return (
    <div className="logbook" data-testid="logbook">
      {fixedUnit === undefined ? (
        tools
      ) : (
        // Beside the unit's health tree there is little room: filters and export fold away until asked for.
        <details className="logbook__fold" data-testid="logbook-fold">
          <summary>{t('logbook.filtersAndExport')}</summary>
          {tools}
        </details>
      )}
      {logbook.error ? <ErrorNotice error={logbook.error} testId="logbook-error" onRetry={logbook.reload} /> : null}
      {!logbook.isLoading && logbook.entries.length === 0 && !logbook.error ? (
        <p className="empty" data-testid="logbook-empty">
          {t('logbook.empty')}
        </p>
      ) : null}
      <ol className="logbook__list history__list" data-testid="logbook-list">
        {logbook.entries.map((entry) => (
          <EntryItem
            key={entry.id}
            entry={entry}
            showUnit={fixedUnit === undefined}
            isCurrent={isCurrent?.(entry) ?? false}
            testId={entryTestId}
            onClick={() => {
              if (!onOpen?.(entry)) {
                setOpened(entry);
              }
            }}
          />
        ))}
      </ol>
      <div className="toolbar logbook__paging">
        <span className="muted" data-testid="logbook-count">
          {t('logbook.count', { count: logbook.entries.length })}
        </span>
        {logbook.next !== null ? (
          <button
            type="button"
            className="button"
            onClick={logbook.loadMore}
            disabled={logbook.isLoading}
            data-testid="logbook-more"
          >
            {logbook.isLoading ? t('logbook.loading') : t('logbook.more')}
          </button>
        ) : logbook.entries.length > 0 ? (
          <span className="muted" data-testid="logbook-end">
            {t('logbook.end')}
          </span>
        ) : null}
      </div>
      {opened ? <EntryDetail key={opened.id} entry={opened} onClose={() => setOpened(null)} /> : null}
    </div>
  );
}

/** One entry in the list: level, kind, unit, time, the entry in words and who did it. */
function EntryItem(props: {
  entry: LogbookEntry;
  showUnit: boolean;
  isCurrent: boolean;
  testId: string;
  onClick: () => void;
}) {
  const { t, language } = useI18n();
  const { entry } = props;
  return (
    <li
      data-testid={props.testId}
      data-kind={entry.kind}
      data-code={entry.code}
      data-entry={entry.id}
      data-id={entry.code === 'diagnosis' && entry.ref ? entry.ref : entry.id}
      data-level={entry.level ?? 'NONE'}
    >
      <button
        type="button"
        className={`history__item history__item--button${props.isCurrent ? ' history__item--shown' : ''}`}
        aria-current={props.isCurrent ? 'true' : undefined}
        onClick={props.onClick}
      >
        <span className="history__top">
          {entry.level ? <LevelChip level={entry.level} /> : null}
          <span className="history__kind">{kindLabel(entry.kind, language)}</span>
          {props.showUnit ? <span className="logbook__unit">{entry.unit ?? t('logbook.fleetWide')}</span> : null}
          <span className="history__time">
            <Time iso={entry.at} />
          </span>
        </span>
        <span className="history__summary" data-testid="logbook-words">
          {describeEntry(entry, language)}
        </span>
        {entry.actor ? (
          <span className="history__actor">{t('logbook.by', { actor: actorText(entry.actor, t) })}</span>
        ) : null}
        {entry.device ? (
          <span className="history__actor" data-testid="logbook-laptop">
            {t('logbook.onLaptop', { laptop: entry.device.label })}
          </span>
        ) : null}
      </button>
    </li>
  );
}
