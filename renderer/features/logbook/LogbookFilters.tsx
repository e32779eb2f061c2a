import { useEffect, useState } from 'react';

import { HEALTH_LEVELS, type HealthLevel } from '../../../shared/domain/health';
import type { LogbookFilter } from '../../../shared/domain/logbook';
import { LOGBOOK_KINDS } from '../../../shared/domain/logbookKinds';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/en';
import { useApi } from '../../platform/ApiProvider';

const OUTCOMES: readonly [string, MessageKey][] = [
  ['ok', 'logbook.outcome.ok'],
  ['failed', 'logbook.outcome.failed'],
  ['refused', 'logbook.outcome.refused'],
  ['done', 'logbook.outcome.done'],
  ['blocked', 'logbook.outcome.blocked'],
];

type Props = {
  filter: LogbookFilter;
  onChange: (filter: LogbookFilter) => void;
  /** The unit page fixes the unit: no unit choice then. */
  fixedUnit?: string | undefined;
};

/** Unit, kind, technician, outcome, level, time range and words; each change starts from the newest again. */
export function LogbookFilters({ filter, onChange, fixedUnit }: Props) {
  const { t, language } = useI18n();
  const api = useApi();
  const [facets, setFacets] = useState<{ units: string[]; actors: string[] }>({ units: [], actors: [] });
  const [query, setQuery] = useState(filter.query ?? '');

  useEffect(() => {
    let current = true;
    api.call('logbook.facets', {}).then(
      (found) => current && setFacets(found),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);

  // Words are sent once typing pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((filter.query ?? '') !== query) {
        onChange(withValue(filter, 'query', query.trim() === '' ? undefined : query));
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [query, filter, onChange]);

  const one = (key: 'units' | 'kinds' | 'actors' | 'outcomes' | 'levels') => filter[key]?.[0] ?? '';
  const choose = (key: 'units' | 'kinds' | 'actors' | 'outcomes' | 'levels', value: string) =>
    onChange(withValue(filter, key, value === '' ? undefined : [value]));
  const date = (key: 'since' | 'until', value: string) =>
    onChange(withValue(filter, key, value === '' ? undefined : value));

  return (
    <form className="logbook__filters" onSubmit={(event) => event.preventDefault()} data-testid="logbook-filters">
      {fixedUnit === undefined ? (
        <label>
          {t('logbook.filter.unit')}
          <select value={one('units')} onChange={(e) => choose('units', e.target.value)} data-testid="filter-unit">
            <option value="">{t('logbook.filter.any')}</option>
            {facets.units.map((unit) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        {t('logbook.filter.kind')}
        <select value={one('kinds')} onChange={(e) => choose('kinds', e.target.value)} data-testid="filter-kind">
          <option value="">{t('logbook.filter.any')}</option>
          {LOGBOOK_KINDS.map((kind) => (
            <option key={kind.id} value={kind.id}>
              {kind.label[language]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('logbook.filter.actor')}
        <select value={one('actors')} onChange={(e) => choose('actors', e.target.value)} data-testid="filter-actor">
          <option value="">{t('logbook.filter.any')}</option>
          {facets.actors.map((actor) => (
            <option key={actor} value={actor}>
              {actor}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('logbook.filter.outcome')}
        <select
          value={one('outcomes')}
          onChange={(e) => choose('outcomes', e.target.value)}
          data-testid="filter-outcome"
        >
          <option value="">{t('logbook.filter.any')}</option>
          {OUTCOMES.map(([value, label]) => (
            <option key={value} value={value}>
              {t(label)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('logbook.filter.level')}
        <select value={one('levels')} onChange={(e) => choose('levels', e.target.value)} data-testid="filter-level">
          <option value="">{t('logbook.filter.any')}</option>
          {HEALTH_LEVELS.map((level: HealthLevel) => (
            <option key={level} value={level}>
              {level}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('logbook.filter.since')}
        <input
          type="date"
          value={filter.since ?? ''}
          onChange={(e) => date('since', e.target.value)}
          data-testid="filter-since"
        />
      </label>
      <label>
        {t('logbook.filter.until')}
        <input
          type="date"
          value={filter.until ?? ''}
          onChange={(e) => date('until', e.target.value)}
          data-testid="filter-until"
        />
      </label>
      <label className="logbook__search">
        {t('logbook.filter.query')}
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="filter-query" />
      </label>
      <button
        type="button"
        className="button"
        onClick={() => {
          setQuery('');
          onChange({});
        }}
        data-testid="filter-clear"
      >
        {t('logbook.filter.clear')}
      </button>
    </form>
  );
}

function withValue<K extends keyof LogbookFilter>(
  filter: LogbookFilter,
  key: K,
  value: LogbookFilter[K] | undefined,
): LogbookFilter {
  const next = { ...filter };
  if (value === undefined) {
    delete next[key];
  } else {
    next[key] = value;
  }
  return next;
}
