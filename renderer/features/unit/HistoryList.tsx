import type { HistoryEntry } from '../../../shared/domain/unit';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { useUnit } from './unitContext';

/** What was done to this unit, newest first; a diagnosis opens its health tree. */
export function HistoryList() {
  const { t } = useI18n();
  const history = useUnit((state) => state.history);
  const historyError = useUnit((state) => state.historyError);
  const refresh = useUnit((state) => state.actions.refresh);

  return (
    <section className="panel history">
      <header className="panel__head">
        <h2 className="section-title">{t('history.title')}</h2>
      </header>
      {historyError ? <ErrorNotice error={historyError} testId="history-error" onRetry={() => void refresh()} /> : null}
      {history !== null && history.length === 0 ? (
        <p className="empty" data-testid="history-empty">
          {t('history.empty')}
        </p>
      ) : null}
      <ol className="history__list" data-testid="history-list">
        {(history ?? []).map((entry) => (
          <HistoryItem key={`${entry.kind}:${entry.id}`} entry={entry} />
        ))}
      </ol>
    </section>
  );
}

function HistoryItem({ entry }: { entry: HistoryEntry }) {
  const { t } = useI18n();
  const isShown = useUnit((state) => entry.kind === 'diagnosis' && state.report?.runId === entry.id);
  const selectRun = useUnit((state) => state.actions.selectRun);
  const body = (
    <>
      <span className="history__top">
        {entry.level ? <LevelChip level={entry.level} /> : null}
        <span className="history__kind">{t(`history.kind.${entry.kind}`)}</span>
        <span className="history__time">
          <Time iso={entry.at} />
        </span>
      </span>
      <span className="history__summary">{entry.summary}</span>
      {entry.actor ? <span className="history__actor">{t('history.by', { actor: entry.actor })}</span> : null}
    </>
  );

  return (
    <li data-testid="history-entry" data-kind={entry.kind} data-id={entry.id} data-level={entry.level ?? 'NONE'}>
      {entry.kind === 'diagnosis' ? (
        <button
          type="button"
          className={`history__item history__item--button${isShown ? ' history__item--shown' : ''}`}
          aria-current={isShown ? 'true' : undefined}
          onClick={() => void selectRun(entry.id)}
        >
          {body}
        </button>
      ) : (
        <div className="history__item">{body}</div>
      )}
    </li>
  );
}
