import { useMemo, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { useI18n } from '../../i18n/I18nProvider';
import { useUnit } from '../../platform/stores/unitContext';
import { groupChanges, type ChangeGroup } from './groupChanges';
import { useChanges } from './useChanges';

/** Items shown before "Show all": enough for a crash and what it took down with it, short of pushing the tree away. */
export const CHANGES_SHOWN = 6;

/** What changed in the run on show (the latest, or the one picked) against the run before it. */
export function ChangesBox() {
  const { t, time } = useI18n();
  const name = useUnit((state) => state.name);
  const runId = useUnit((state) => state.report?.runId ?? null);
  const history = useUnit((state) => state.history);
  const { value, error, isLoading } = useChanges(name, runId ?? undefined, runId);
  const groups = useMemo(() => groupChanges(value?.changes ?? []), [value]);
  const [isAll, setAll] = useState(false);
  const shown = isAll ? groups : groups.slice(0, CHANGES_SHOWN);
  const previousAt = history?.find((entry) => entry.kind === 'diagnosis' && entry.id === value?.previousRunId)?.at;
  const since = previousAt ? t('changes.since', { time: time(previousAt) }) : t('changes.sincePrevious');

  return (
    <div className="changes" data-testid="changes-box" data-run-id={runId ?? undefined} aria-busy={isLoading}>
      <div className="changes__head">
        <h2 className="section-title">{t('changes.title')}</h2>
        {value?.previousRunId ? <span className="muted">{since}</span> : null}
      </div>
      {isLoading ? (
        <p className="changes__note muted" data-testid="changes-loading">
          {t('changes.loading')}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} testId="changes-error" /> : null}
      {value && value.previousRunId === null ? (
        <p className="changes__note muted" data-testid="changes-first">
          {t('changes.first')}
        </p>
      ) : null}
      {value?.previousRunId && groups.length === 0 ? (
        <p className="changes__note" data-testid="changes-none">
          {t('changes.none')}
        </p>
      ) : null}
      {groups.length > 0 ? (
        <ul className="changes__list" data-testid="changes-list">
          {shown.map((group) => (
            <ChangeItem key={group.checkId} group={group} />
          ))}
        </ul>
      ) : null}
      {groups.length > CHANGES_SHOWN ? (
        <button
          type="button"
          className="button button--small button--quiet changes__more"
          data-testid="changes-more"
          aria-expanded={isAll}
          onClick={() => setAll((all) => !all)}
        >
          {isAll ? t('changes.showFewer') : t('changes.showAll', { count: groups.length })}
        </button>
      ) : null}
    </div>
  );
}

function ChangeItem({ group }: { group: ChangeGroup }) {
  const { t } = useI18n();
  const { checkId, from, to, lines } = group;
  return (
    <li
      className={`change change--${to ? to.toLowerCase() : 'gone'}`}
      data-testid={`change-${checkId}`}
      data-from={from ?? 'NONE'}
      data-to={to ?? 'NONE'}
    >
      <span className="change__levels">
        {from === to ? (
          <LevelChip level={to} />
        ) : (
          <>
            {from ? <LevelChip level={from} /> : <span className="change__tag">{t('changes.new')}</span>}
            <span className="change__arrow" aria-hidden="true">
              →
            </span>
            <span className="visually-hidden">{t('changes.became')}</span>
            {to ? <LevelChip level={to} /> : <span className="change__tag">{t('changes.gone')}</span>}
          </>
        )}
      </span>
      <span className="change__id mono">{checkId}</span>
      <span className="change__lines">
        {lines.map((line, i) => (
          <span key={i} className="change__line">
            {line}
          </span>
        ))}
      </span>
    </li>
  );
}
