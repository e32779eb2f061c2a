import { useEffect, useState } from 'react';

import type { Unit } from '../../../shared/domain/unit';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useBus } from './busContext';

/** The unit this bus belongs to (or a bench bus), and checking its second master again. */
export function UnitPicker({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useApi();
  const unit = useBus((state) => state.unit);
  const isChecking = useBus((state) => state.isCheckingMaster);
  const { chooseUnit, checkSecondMaster } = useBus((state) => state.actions);
  const [units, setUnits] = useState<Unit[] | null>(null);
  const [unitsError, setUnitsError] = useState<unknown>(null);

  useEffect(() => {
    let isCurrent = true;
    api.call('units.list', {}).then(
      (list) => isCurrent && setUnits(list),
      (error: unknown) => isCurrent && setUnitsError(error),
    );
    return () => {
      isCurrent = false;
    };
  }, [api]);

  return (
    <>
      <div className="bus__unit-row">
        <label htmlFor={`${id}-unit`}>{t('bus.master.unit')}</label>
        <select
          id={`${id}-unit`}
          value={unit ?? ''}
          onChange={(event) => void chooseUnit(event.target.value === '' ? null : event.target.value)}
          data-testid="bus-unit"
        >
          <option value="">{t('bus.master.bench')}</option>
          {(units ?? []).map((candidate) => (
            <option key={candidate.name} value={candidate.name}>
              {candidate.name}
            </option>
          ))}
        </select>
        {unit !== null ? (
          <button
            type="button"
            className="button button--small"
            disabled={isChecking}
            onClick={() => void checkSecondMaster()}
            data-testid="master-recheck"
          >
            {isChecking ? t('bus.master.checking') : t('bus.master.recheck')}
          </button>
        ) : null}
      </div>
      {unitsError ? <ErrorNotice error={unitsError} testId="units-error" /> : null}
    </>
  );
}
