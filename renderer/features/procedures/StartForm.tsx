import { useCallback, useId, useState } from 'react';

import type { ProcedureParameter } from '../../../shared/domain/procedure';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useNavigation } from '../../platform/NavigationProvider';
import { routePath } from '../../platform/routes';
import { localized } from '../../i18n/localized';
import { useCallResult } from '../../platform/useCallResult';

type Props = {
  procedureId: string;
  parameters: readonly ProcedureParameter[];
  /** Units ticked from the start (guided recovery fills in the unit the failing check came from). */
  initialUnits?: readonly string[];
  /** Routine checks may run on several units at once; the others on one. */
  allowSeveral: boolean;
};

/** Chooses the unit(s) and the procedure's parameters, then starts a run and opens it. */
export function StartForm({ procedureId, parameters, initialUnits = [], allowSeveral }: Props) {
  const api = useApi();
  const navigation = useNavigation();
  const { t, language } = useI18n();
  const loadUnits = useCallback(() => api.call('units.list', {}), [api]);
  const units = useCallResult(loadUnits);
  const [chosen, setChosen] = useState<string[]>([...initialUnits]);
  const [params, setParams] = useState<Record<string, string>>(() =>
    Object.fromEntries(parameters.map((p) => [p.name, p.default === undefined ? '' : String(p.default)])),
  );
  const [error, setError] = useState<unknown>(null);
  const [isStarting, setStarting] = useState(false);
  const formId = useId();

  const toggle = (name: string, on: boolean): void => {
    setChosen((previous) => {
      if (!allowSeveral) {
        return on ? [name] : [];
      }
      return on ? [...previous.filter((each) => each !== name), name] : previous.filter((each) => each !== name);
    });
  };

  const start = async (): Promise<void> => {
    setStarting(true);
    setError(null);
    try {
      const filled = Object.fromEntries(Object.entries(params).filter(([, value]) => value.trim() !== ''));
      const run = await api.call('procedures.start', { procedureId, units: chosen, params: filled });
      navigation.go(routePath({ page: 'run', runId: run.runId }));
    } catch (caught) {
      setError(caught);
    } finally {
      setStarting(false);
    }
  };

  return (
    <form
      className="panel procedure__start"
      data-testid="procedure-start-form"
      aria-labelledby={`${formId}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        void start();
      }}
    >
      <h2 className="section-title" id={`${formId}-title`}>
        {t('procedure.start')}
      </h2>
      {units.error ? <ErrorNotice error={units.error} testId="procedure-units-error" onRetry={units.reload} /> : null}
      <fieldset className="procedure__units">
        <legend>{allowSeveral ? t('procedure.chooseUnits') : t('procedure.chooseUnit')}</legend>
        {(units.value ?? []).map((unit) => (
          <label key={unit.name} className="procedure__unit">
            <input
              type={allowSeveral ? 'checkbox' : 'radio'}
              name={`${formId}-unit`}
              checked={chosen.includes(unit.name)}
              data-testid={`start-unit-${unit.name}`}
              onChange={(event) => toggle(unit.name, event.target.checked)}
            />
            {unit.name}
          </label>
        ))}
        {units.value && units.value.length === 0 ? <p className="muted">{t('procedure.noUnits')}</p> : null}
      </fieldset>
      {parameters.map((parameter) => (
        <div className="field" key={parameter.name}>
          <label htmlFor={`${formId}-${parameter.name}`}>
            {localized(parameter.label, language)}
            {parameter.required ? ' *' : ''}
          </label>
          <input
            id={`${formId}-${parameter.name}`}
            value={params[parameter.name] ?? ''}
            data-testid={`start-param-${parameter.name}`}
            inputMode={parameter.type === 'integer' ? 'numeric' : undefined}
            onChange={(event) => setParams((previous) => ({ ...previous, [parameter.name]: event.target.value }))}
          />
        </div>
      ))}
      {error ? <ErrorNotice error={error} testId="procedure-start-error" /> : null}
      <div className="toolbar">
        <button
          type="submit"
          className="button button--primary"
          data-testid="procedure-start"
          disabled={chosen.length === 0 || isStarting}
        >
          {isStarting ? t('procedure.starting') : t('procedure.startRun')}
        </button>
      </div>
    </form>
  );
}
