import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { ErrorNotice } from '../../components/ErrorNotice';
import { AppError } from '../../../shared/errors/AppError';
import { describeError } from '../../i18n/describeError';
import { useI18n, type I18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { EscalationContactsPanel } from './EscalationContactsPanel';
import { SessionPanel } from './SessionPanel';
import { createStoreContext } from '../../platform/storeContext';
import { createSettingsStore, type SettingsState } from './settingsStore';
import {
  draftOf,
  LIMIT_FIELDS,
  LOG_WINDOW_FIELD,
  problemsByField,
  sameDraft,
  type LimitKey,
  type ThresholdField,
} from './thresholdFields';
import '../../styles/settings.css';
import '../../styles/procedures.css';

const settings = createStoreContext<SettingsState>('settings');
const useSettings = settings.useSelector;

/** The technician's settings: the alert thresholds, with the runbook's values as the defaults. */
export function SettingsPage() {
  const api = useApi();
  const [store] = useState(() => createSettingsStore(api));
  useEffect(() => void store.getState().actions.load(), [store]);
  return (
    <settings.Context value={store}>
      <SettingsLayout />
    </settings.Context>
  );
}

function SettingsLayout() {
  const { t } = useI18n();
  const draft = useSettings((state) => state.draft);
  const saved = useSettings((state) => state.saved);
  const status = useSettings((state) => state.status);
  const loadError = useSettings((state) => state.loadError);
  const saveError = useSettings((state) => state.saveError);
  const { load, save, resetToDefaults } = useSettings((state) => state.actions);
  const titleId = useId();

  const problems = useMemo(() => problemsByField(describeError(saveError).issues), [saveError]);
  const isInvalid = saveError instanceof AppError && saveError.code === 'VALIDATION';
  const isDirty = draft !== null && saved !== null && !sameDraft(draft, draftOf(saved));
  const isDefault = draft !== null && sameDraft(draft, draftOf(DEFAULT_THRESHOLDS));

  return (
    <section className="page page--narrow settings" data-testid="settings-page" aria-labelledby={titleId}>
      <h1 className="page__title" id={titleId}>
        {t('settings.title')}
      </h1>
      {loadError ? <ErrorNotice error={loadError} testId="settings-error" onRetry={() => void load()} /> : null}
      {draft === null && !loadError ? <p className="muted">{t('settings.loading')}</p> : null}
      {draft ? (
        <form
          className="panel settings__form"
          data-testid="thresholds-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <div className="settings__intro">
            <h2 className="section-title">{t('settings.thresholds')}</h2>
            <p>{t('settings.intro')}</p>
            <p className="settings__source" data-testid="settings-source">
              {t('settings.runbookNote')}
            </p>
          </div>

          <table className="thresholds">
            <thead>
              <tr>
                <th scope="col">{t('settings.col.reading')}</th>
                <th scope="col">{t('settings.col.warning')}</th>
                <th scope="col">{t('settings.col.critical')}</th>
                <th scope="col">{t('settings.col.default')}</th>
              </tr>
            </thead>
            <tbody>
              {LIMIT_FIELDS.map((field) => (
                <LimitRow key={field.key} field={field} problems={problems} />
              ))}
              <LogWindowRow problems={problems} />
            </tbody>
          </table>

          {isInvalid ? (
            <p className="notice notice--error" role="alert" data-testid="settings-invalid">
              {t('settings.invalid')}
            </p>
          ) : null}
          {saveError && !isInvalid ? <ErrorNotice error={saveError} testId="settings-save-error" /> : null}
          {status === 'saved' ? (
            <p className="notice notice--ok" role="status" data-testid="settings-saved">
              {t('settings.saved')}
            </p>
          ) : null}

          <div className="toolbar settings__actions">
            <button
              type="submit"
              className="button button--primary"
              data-testid="settings-save"
              disabled={status === 'saving' || !isDirty}
            >
              {status === 'saving' ? t('settings.saving') : t('settings.save')}
            </button>
            <button
              type="button"
              className="button"
              data-testid="settings-reset"
              disabled={status === 'saving' || isDefault}
              onClick={resetToDefaults}
            >
              {t('settings.reset')}
            </button>
            {isDirty ? (
              <span className="settings__dirty" data-testid="settings-dirty">
                {t('settings.unsaved')}
              </span>
            ) : null}
          </div>
        </form>
      ) : null}
      <SessionPanel />
      <EscalationContactsPanel />
    </section>
  );
}

type RowProps = { problems: Map<string, string[]> };

function LimitRow({ field, problems }: RowProps & { field: ThresholdField & { key: LimitKey } }) {
  const { t } = useI18n();
  const { key } = field;
  const value = useSettings((state) => state.draft?.[key] ?? null);
  const setLimit = useSettings((state) => state.actions.setLimit);
  if (!value) {
    return null;
  }
  const rowProblems = problems.get(key) ?? [];
  const warningProblems = problems.get(`${key}.warning`) ?? [];
  const criticalProblems = problems.get(`${key}.critical`) ?? [];
  const messages = [...rowProblems, ...warningProblems, ...criticalProblems];
  const defaults = DEFAULT_THRESHOLDS[key];
  const unit = unitText(field.unit, t);
  return (
    <ThresholdRow field={field} problems={messages}>
      <td>
        <NumberInput
          label={`${t(field.label)}: ${t('settings.col.warning')}`}
          value={value.warning}
          unit={unit}
          testId={`threshold-${key}-warning`}
          isInvalid={rowProblems.length + warningProblems.length > 0}
          onChange={(text) => setLimit(key, 'warning', text)}
        />
      </td>
      <td>
        <NumberInput
          label={`${t(field.label)}: ${t('settings.col.critical')}`}
          value={value.critical}
          unit={unit}
          testId={`threshold-${key}-critical`}
          isInvalid={rowProblems.length + criticalProblems.length > 0}
          onChange={(text) => setLimit(key, 'critical', text)}
        />
      </td>
      <td className="thresholds__default" data-testid={`threshold-${key}-default`}>
        {defaults.warning} / {defaults.critical} {unit}
      </td>
    </ThresholdRow>
  );
}

function LogWindowRow({ problems }: RowProps) {
  const { t } = useI18n();
  const value = useSettings((state) => state.draft?.logWindowMin ?? '');
  const setLogWindow = useSettings((state) => state.actions.setLogWindow);
  const messages = problems.get('logWindowMin') ?? [];
  const unit = unitText(LOG_WINDOW_FIELD.unit, t);
  return (
    <ThresholdRow field={LOG_WINDOW_FIELD} problems={messages}>
      <td colSpan={2}>
        <NumberInput
          label={t(LOG_WINDOW_FIELD.label)}
          value={value}
          unit={unit}
          testId="threshold-logWindowMin"
          isInvalid={messages.length > 0}
          onChange={setLogWindow}
        />
      </td>
      <td className="thresholds__default" data-testid="threshold-logWindowMin-default">
        {DEFAULT_THRESHOLDS.logWindowMin} {unit}
      </td>
    </ThresholdRow>
  );
}

/** A row: what the reading is, its inputs, and the core's objections to what was typed, right beneath them. */
function ThresholdRow({
  field,
  problems,
  children,
}: {
  field: ThresholdField;
  problems: string[];
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <>
      <tr className={`thresholds__row${problems.length > 0 ? ' thresholds__row--invalid' : ''}`}>
        <th scope="row">
          <span className="thresholds__name">{t(field.label)}</span>
          <span className="thresholds__hint">{t(field.hint)}</span>
        </th>
        {children}
      </tr>
      {problems.length > 0 ? (
        <tr className="thresholds__problem-row">
          <td colSpan={4}>
            <ul className="thresholds__problems" data-testid={`threshold-${field.key}-error`} role="alert">
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </td>
        </tr>
      ) : null}
    </>
  );
}

type InputProps = {
  label: string;
  value: string;
  unit: string;
  testId: string;
  isInvalid: boolean;
  onChange: (value: string) => void;
};

function NumberInput({ label, value, unit, testId, isInvalid, onChange }: InputProps) {
  return (
    <span className={`thresholds__input${isInvalid ? ' thresholds__input--invalid' : ''}`}>
      <input
        type="number"
        inputMode="decimal"
        step="any"
        min={0}
        value={value}
        aria-label={label}
        aria-invalid={isInvalid}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      />
      <span className="thresholds__unit" aria-hidden="true">
        {unit}
      </span>
    </span>
  );
}

function unitText(unit: ThresholdField['unit'], t: I18n['t']): string {
  return 'symbol' in unit ? unit.symbol : t(unit.word);
}
