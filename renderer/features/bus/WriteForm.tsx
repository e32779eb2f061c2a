import { useId, useMemo, useState } from 'react';

import type { ModuleReading, RegisterReading } from '../../../shared/ipc/contracts/rs485';
import { useI18n } from '../../i18n/I18nProvider';

type Props = {
  reading: ModuleReading;
  initialRegister: string | null;
  isBusy: boolean;
  onEdit: () => void;
  onPlan: (register: string, value: string) => void;
};

/** The register of the map and the value in its units; submitting asks the core for a plan. */
export function WriteForm({ reading, initialRegister, isBusy, onEdit, onPlan }: Props) {
  const { t } = useI18n();
  const id = useId();
  const writable = useMemo(() => reading.registers.filter((r) => r.access !== 'R'), [reading]);
  const readOnly = useMemo(() => reading.registers.filter((r) => r.access === 'R'), [reading]);
  const [register, setRegister] = useState(initialRegister ?? writable[0]?.name ?? readOnly[0]?.name ?? '');
  const [value, setValue] = useState('');
  const chosen = reading.registers.find((r) => r.name === register);

  return (
    <form
      className="bus-dialog__form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (register !== '' && value.trim() !== '' && !isBusy) {
          onPlan(register, value);
        }
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-register`}>{t('bus.write.register')}</label>
        <RegisterSelect
          id={`${id}-register`}
          value={register}
          writable={writable}
          readOnly={readOnly}
          onChange={(name) => {
            setRegister(name);
            onEdit();
          }}
        />
      </div>
      {chosen ? <RegisterFacts register={chosen} /> : null}
      <div className="field">
        <label htmlFor={`${id}-value`}>
          {chosen?.unit ? t('bus.write.valueIn', { unit: chosen.unit }) : t('bus.write.value')}
        </label>
        <input
          id={`${id}-value`}
          type="text"
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            onEdit();
          }}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${id}-value-hint`}
          data-testid="write-value"
        />
        <span className="field__hint" id={`${id}-value-hint`}>
          {t('bus.write.valueHint')}
        </span>
      </div>
      <div className="toolbar">
        <button
          type="submit"
          className="button"
          disabled={register === '' || value.trim() === '' || isBusy}
          data-testid="write-plan"
        >
          {t('bus.write.plan')}
        </button>
      </div>
    </form>
  );
}

/** What the chosen register holds now and what it accepts. */
function RegisterFacts({ register }: { register: RegisterReading }) {
  const { t } = useI18n();
  return (
    <p className="muted" data-testid="write-register-facts">
      {t('bus.write.facts', {
        now: register.text ?? '—',
        raw: register.rawHex ?? '—',
        min: register.min,
        max: register.max,
        unit: register.unit || '—',
      })}
      {register.enumValues
        ? ` · ${t('bus.write.choices', { choices: register.enumValues.map((e) => `${e.name} (${e.value})`).join(', ') })}`
        : ''}
    </p>
  );
}

type SelectProps = {
  id: string;
  value: string;
  writable: readonly RegisterReading[];
  readOnly: readonly RegisterReading[];
  onChange: (name: string) => void;
};

/** The module's registers, the writable ones first (safety-critical marked), the read-only ones after. */
function RegisterSelect({ id, value, writable, readOnly, onChange }: SelectProps) {
  const { t } = useI18n();
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value)} data-testid="write-register">
      <optgroup label={t('bus.write.writable')}>
        {writable.map((r) => (
          <option key={r.address} value={r.name}>
            {r.addressHex} {r.label} ({r.name}){r.safetyCritical ? ` ⚠ ${t('bus.reg.safetyCritical')}` : ''}
          </option>
        ))}
      </optgroup>
      <optgroup label={t('bus.write.readOnly')}>
        {readOnly.map((r) => (
          <option key={r.address} value={r.name}>
            {r.addressHex} {r.label} ({r.name})
          </option>
        ))}
      </optgroup>
    </select>
  );
}
