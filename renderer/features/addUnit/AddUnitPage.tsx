import { useState } from 'react';

import { useApi } from '../../platform/ApiProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { addUnitContext, useAddUnit } from './addUnitContext';
import { createAddUnitStore } from './addUnitStore';
import { AddUnitForm } from './AddUnitForm';
import { UnitAdded } from './UnitAdded';
import './addUnit.css';

/** Add a unit, then check and trust its host key: one page, because a unit is not usable until both are done. */
export function AddUnitPage() {
  const api = useApi();
  const [store] = useState(() => createAddUnitStore(api));
  return (
    <addUnitContext.Context value={store}>
      <AddUnitSteps />
    </addUnitContext.Context>
  );
}

function AddUnitSteps() {
  const { t } = useI18n();
  const added = useAddUnit((state) => state.added);
  return (
    <section className="page page--narrow" data-testid="add-unit-page">
      <header className="page__head">
        <h1 className="page__title">{t('add.title')}</h1>
      </header>
      {added ? <UnitAdded unit={added} /> : <AddUnitForm />}
    </section>
  );
}
