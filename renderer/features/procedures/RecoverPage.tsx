import { useCallback, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { routeHref } from '../../platform/routes';
import { localized } from '../../i18n/localized';
import { StartForm } from './StartForm';
import { useCallResult } from '../../platform/useCallResult';

/**
 * Guided recovery: from a WARN or ERROR check of a unit's diagnosis to the procedures that handle it, best first,
 * with the unit already chosen; the procedure its finding preselects is chosen first when given.
 */
export function RecoverPage({
  unit,
  checkId,
  preselected,
}: {
  unit: string;
  checkId: string;
  preselected?: string | undefined;
}) {
  const api = useApi();
  const { t, language } = useI18n();
  const load = useCallback(() => api.call('procedures.forCheck', { checkId }), [api, checkId]);
  const result = useCallResult(load);
  const [chosen, setChosen] = useState<string | null>(null);
  // The finding's choice weighs the runbook section its check names, which the list here does not know.
  const chosenId = chosen ?? preselected ?? result.value?.[0]?.id ?? null;
  const loadChosen = useCallback(
    async () => (chosenId ? api.call('procedures.get', { id: chosenId }) : null),
    [api, chosenId],
  );
  const procedure = useCallResult(loadChosen);

  return (
    <section className="page recover" data-testid="recover-page">
      <p>
        <a href={routeHref({ page: 'unit', name: unit })}>← {unit}</a>
      </p>
      <h1 className="page__title">{t('recover.title', { unit })}</h1>
      <p>
        {t('recover.intro')}{' '}
        <span className="mono" data-testid="recover-check">
          {checkId}
        </span>
      </p>
      {result.error ? <ErrorNotice error={result.error} testId="recover-error" onRetry={result.reload} /> : null}
      {result.value && result.value.length === 0 ? <p className="muted">{t('recover.none')}</p> : null}
      <ul className="procedures__list" data-testid="recover-procedures">
        {(result.value ?? []).map((summary) => (
          <li key={summary.id} className="procedures__item">
            <label>
              <input
                type="radio"
                name="recover-procedure"
                checked={chosenId === summary.id}
                data-testid={`recover-choose-${summary.id}`}
                onChange={() => setChosen(summary.id)}
              />{' '}
              {localized(summary.title, language)}
            </label>
            <p className="procedures__summary">{localized(summary.summary, language)}</p>
          </li>
        ))}
      </ul>
      {procedure.value ? (
        <StartForm
          key={procedure.value.procedure.id}
          procedureId={procedure.value.procedure.id}
          parameters={procedure.value.procedure.parameters}
          initialUnits={[unit]}
          allowSeveral={false}
        />
      ) : null}
    </section>
  );
}
