import { useEffect, useState } from 'react';

import { HEALTH_LEVELS } from '../../../shared/domain/health';
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
        <Choice
          label={t('logbook.filter.unit')}
          value={one('units')}
          options={facets.units.map((unit) => [unit, unit])}
          onChange={(value) => choose('units', value)}
          testId="filter-unit"
        />
      ) : null}
      <Choice
        label={t('logbook.filter.kind')}
        value={one('kinds')}
        options={LOGBOOK_KINDS.map((kind) => [kind.id, kind.label[language]])}
        onChange={(value) => choose('kinds', value)}
        testId="filter-kind"
      />
      <Choice
        label={t('logbook.filter.actor')}
        value={one('actors')}
        options={facets.actors.map((actor) => [actor, actor])}
        onChange={(value) => choose('actors', value)}
        testId="filter-actor"
      />
      <Choice
        label={t('logbook.filter.outcome')}
        value={one('outcomes')}
        options={OUTCOMES.map(([value, label]) => [value, t(label)])}
        onChange={(value) => choose('outcomes', value)}
        testId="filter-outcome"
      />
      <Choice
        label={t('logbook.filter.level')}
        value={one('levels')}
        options={HEALTH_LEVELS.map((level) => [level, level])}
        onChange={(value) => choose('levels', value)}
        testId="filter-level"
      />
      <Choice
        label={t('logbook.filter.origin')}
        value={filter.origin === 'mine' ? 'mine' : ''}
        options={[['mine', t('logbook.filter.origin.mine')]]}
        onChange={(value) => onChange(withValue(filter, 'origin', value === 'mine' ? 'mine' : undefined))}
        testId="filter-origin"
      />
      {(['since', 'until'] as const).map((key) => (
        <label key={key}>
          {t(key === 'since' ? 'logbook.filter.since' : 'logbook.filter.until')}
          <input
            type="date"
            value={filter[key] ?? ''}
            onChange={(e) => date(key, e.target.value)}
            data-testid={`filter-${key}`}
          />
        </label>
      ))}
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

/** One filter as a choice of values, "any" first. */
function Choice(props: {
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        <option value="">{t('logbook.filter.any')}</option>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
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
