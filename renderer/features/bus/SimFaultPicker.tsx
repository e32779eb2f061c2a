import { MODULE_TYPES, type ModuleType } from '../../../shared/domain/rs485Profile';
import { useI18n } from '../../i18n/I18nProvider';
import { moduleTypeKey } from './moduleText';
import type { FaultChoice } from './simFaults';

type Props = { id: string; choice: FaultChoice; onChange: (choice: FaultChoice) => void };

/** The faults a trainer may give the simulated modules before starting them. */
export function SimFaultPicker({ id, choice, onChange }: Props) {
  const { t } = useI18n();
  return (
    <fieldset className="bus__faults">
      <legend>{t('bus.sim.faults')}</legend>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={choice.estopPressed}
          onChange={(event) => onChange({ ...choice, estopPressed: event.target.checked })}
          data-testid="sim-fault-estop"
        />
        {t('bus.sim.estop')}
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={choice.lowBattery}
          onChange={(event) => onChange({ ...choice, lowBattery: event.target.checked })}
          data-testid="sim-fault-battery"
        />
        {t('bus.sim.lowBattery')}
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={choice.noisy}
          onChange={(event) => onChange({ ...choice, noisy: event.target.checked })}
          data-testid="sim-fault-noise"
        />
        {t('bus.sim.noise')}
      </label>
      <div className="bus__fault-selects">
        <label htmlFor={`${id}-missing`}>{t('bus.sim.missing')}</label>
        <ModuleSelect
          id={`${id}-missing`}
          value={choice.missing}
          onChange={(missing) => onChange({ ...choice, missing })}
          testId="sim-fault-missing"
        />
        <label htmlFor={`${id}-slow`}>{t('bus.sim.slow')}</label>
        <ModuleSelect
          id={`${id}-slow`}
          value={choice.slow}
          onChange={(slow) => onChange({ ...choice, slow })}
          testId="sim-fault-slow"
        />
      </div>
    </fieldset>
  );
}

type SelectProps = { id: string; value: ModuleType | ''; onChange: (value: ModuleType | '') => void; testId: string };

/** One module type, or none. */
function ModuleSelect({ id, value, onChange, testId }: SelectProps) {
  const { t } = useI18n();
  return (
    <select
      id={id}
      value={value}
      onChange={(event) => onChange(event.target.value as ModuleType | '')}
      data-testid={testId}
    >
      <option value="">{t('bus.sim.none')}</option>
      {MODULE_TYPES.map((type) => (
        <option key={type} value={type}>
          {t(moduleTypeKey(type))}
        </option>
      ))}
    </select>
  );
}
