import { useId } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { BAUD_RATES, type BusSettingsDraft, type BusSettingsField } from './busSettingsDraft';

type Problems = Partial<Record<BusSettingsField, string>>;
type Props = { draft: BusSettingsDraft; problems: Problems; onChange: (change: Partial<BusSettingsDraft>) => void };

/** The serial line's settings and the bus's timing, each with its problem once the technician tried to connect. */
export function SettingsFields({ draft, problems, onChange }: Props) {
  const { t } = useI18n();
  return (
    <div className="bus__fields">
      <SelectField
        label={t('bus.settings.baud')}
        field="baudRate"
        draft={draft}
        options={BAUD_RATES.map((rate) => [String(rate), String(rate)])}
        onChange={onChange}
        problem={problems.baudRate}
      />
      <SelectField
        label={t('bus.settings.dataBits')}
        field="dataBits"
        draft={draft}
        options={[
          ['8', '8'],
          ['7', '7'],
        ]}
        onChange={onChange}
        problem={problems.dataBits}
      />
      <SelectField
        label={t('bus.settings.parity')}
        field="parity"
        draft={draft}
        options={[
          ['none', t('bus.settings.parity.none')],
          ['even', t('bus.settings.parity.even')],
          ['odd', t('bus.settings.parity.odd')],
        ]}
        onChange={onChange}
        problem={problems.parity}
      />
      <SelectField
        label={t('bus.settings.stopBits')}
        field="stopBits"
        draft={draft}
        options={[
          ['1', '1'],
          ['2', '2'],
        ]}
        onChange={onChange}
        problem={problems.stopBits}
      />
      <NumberField
        label={t('bus.settings.timeout')}
        hint={t('bus.settings.timeoutHint')}
        field="timeoutMs"
        draft={draft}
        onChange={onChange}
        problem={problems.timeoutMs}
      />
      <NumberField
        label={t('bus.settings.retries')}
        hint={t('bus.settings.retriesHint')}
        field="retries"
        draft={draft}
        onChange={onChange}
        problem={problems.retries}
      />
      <NumberField
        label={t('bus.settings.gap')}
        hint={t('bus.settings.gapHint')}
        field="gapMs"
        draft={draft}
        onChange={onChange}
        problem={problems.gapMs}
      />
    </div>
  );
}

type FieldProps = {
  label: string;
  field: BusSettingsField;
  draft: BusSettingsDraft;
  onChange: (change: Partial<BusSettingsDraft>) => void;
  problem: string | undefined;
};

function SelectField({ label, field, draft, onChange, problem, options }: FieldProps & { options: string[][] }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className={`field${problem ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={draft[field]}
        onChange={(event) => onChange({ [field]: event.target.value })}
        data-testid={`settings-${field}`}
        aria-invalid={problem !== undefined}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {problem ? <span className="field__problem">{t('bus.settings.notAllowed')}</span> : null}
    </div>
  );
}

function NumberField({ label, hint, field, draft, onChange, problem }: FieldProps & { hint: string }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className={`field${problem ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={draft[field]}
        onChange={(event) => onChange({ [field]: event.target.value })}
        data-testid={`settings-${field}`}
        aria-invalid={problem !== undefined}
        aria-describedby={`${id}-hint`}
      />
      <span className="field__hint" id={`${id}-hint`}>
        {problem ? t('bus.settings.outOfRange', { hint }) : hint}
      </span>
    </div>
  );
}
