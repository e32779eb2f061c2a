import { useCallback, useId, useMemo, useState } from 'react';

import { PROCEDURE_CATEGORIES, type ProcedureCategory } from '../../../shared/domain/procedure';
import type { ProcedureSummary } from '../../../shared/ipc/contracts/procedureLibrary';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { routeHref } from '../../platform/routes';
import { localized } from '../../i18n/localized';
import { useCallResult } from '../../platform/useCallResult';

/** The procedure library: every runbook section as a procedure, grouped by category, searchable. */
export function LibraryPage() {
  const api = useApi();
  const { t, language } = useI18n();
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<ProcedureCategory | ''>('');
  const searchId = useId();
  const categoryId = useId();

  const trimmed = query.trim();
  const load = useCallback(
    () =>
      api.call('procedures.list', {
        ...(trimmed ? { query: trimmed } : {}),
        ...(category ? { category } : {}),
      }),
    [api, trimmed, category],
  );
  const list = useCallResult(load);
  const loadInvalid = useCallback(() => api.call('procedures.invalid', {}), [api]);
  const invalid = useCallResult(loadInvalid);

  const grouped = useMemo(() => groupByCategory(list.value ?? []), [list.value]);

  return (
    <section className="page procedures" data-testid="procedures-page">
      <div className="page__head">
        <h1 className="page__title">{t('procedures.title')}</h1>
      </div>
      <p className="muted">{t('procedures.intro')}</p>
      <div className="toolbar procedures__filters">
        <div className="field">
          <label htmlFor={searchId}>{t('procedures.search')}</label>
          <input
            id={searchId}
            type="search"
            value={query}
            data-testid="procedures-search"
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={categoryId}>{t('procedures.category')}</label>
          <select
            id={categoryId}
            value={category}
            data-testid="procedures-category"
            onChange={(event) => setCategory(event.target.value as ProcedureCategory | '')}
          >
            <option value="">{t('procedures.allCategories')}</option>
            {PROCEDURE_CATEGORIES.map((each) => (
              <option key={each} value={each}>
                {t(`procedures.category.${each}`)}
              </option>
            ))}
          </select>
        </div>
      </div>

      {invalid.value && invalid.value.length > 0 ? (
        <div className="notice notice--error" role="alert" data-testid="procedures-invalid">
          <p className="notice__title">{t('procedures.invalidFiles', { count: invalid.value.length })}</p>
          <ul className="notice__issues">
            {invalid.value.map((file) => (
              <li key={`${file.source}:${file.file}`}>
                <span className="mono">{file.file}</span>:{' '}
                {file.problems.map((problem) => `${problem.path || '/'} ${problem.message}`).join('; ')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {list.error ? <ErrorNotice error={list.error} testId="procedures-error" onRetry={list.reload} /> : null}
      {list.value && list.value.length === 0 ? <p className="muted">{t('procedures.none')}</p> : null}

      {grouped.map(([group, procedures]) => (
        <section key={group} className="panel procedures__group" data-testid={`procedures-group-${group}`}>
          <h2 className="section-title">{t(`procedures.category.${group}`)}</h2>
          <ul className="procedures__list">
            {procedures.map((procedure) => (
              <li key={procedure.id} className="procedures__item">
                <a
                  href={routeHref({ page: 'procedure', id: procedure.id })}
                  data-testid={`procedure-link-${procedure.id}`}
                >
                  {localized(procedure.title, language)}
                </a>
                <span className="muted procedures__meta">
                  {t('procedures.version', { version: procedure.version })}
                  {procedure.source === 'user' ? ` · ${t('procedures.edited')}` : ''}
                </span>
                {procedure.supersedesShipped !== null ? (
                  <span className="tag tag--attention" data-testid={`procedure-supersedes-${procedure.id}`}>
                    {t('procedures.supersedes', { version: procedure.supersedesShipped })}
                  </span>
                ) : null}
                <p className="procedures__summary">{localized(procedure.summary, language)}</p>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

function groupByCategory(procedures: readonly ProcedureSummary[]): [ProcedureCategory, ProcedureSummary[]][] {
  return PROCEDURE_CATEGORIES.map(
    (category) =>
      [category, procedures.filter((each) => each.category === category)] as [ProcedureCategory, ProcedureSummary[]],
  ).filter(([, list]) => list.length > 0);
}
