import { useId } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { hexWord } from './moduleText';

/** The scanned modules at the side of the workspace: choosing one brings its registers to the front. */
export function ModuleList() {
  const { t } = useI18n();
  const modules = useBus((state) => state.scan?.modules ?? null);
  const slave = useBus((state) => state.slave);
  const { selectSlave } = useBus((state) => state.actions);
  const titleId = useId();
  return (
    <aside className="panel bus__side" aria-labelledby={titleId} data-testid="module-list">
      <h2 className="section-title" id={titleId}>
        {t('bus.modules.title')}
      </h2>
      {modules === null || modules.length === 0 ? (
        <p className="muted">{t('bus.modules.none')}</p>
      ) : (
        <ul className="bus__module-list">
          {modules.map((module) => (
            <li key={module.address}>
              <button
                type="button"
                className={`bus__module-item${module.address === slave ? ' bus__module-item--chosen' : ''}`}
                aria-current={module.address === slave ? 'true' : undefined}
                onClick={() => selectSlave(module.address)}
                data-testid="module-list-item"
                data-address={module.address}
              >
                <span className="bus__module-name">
                  {t('bus.modules.choose', { address: module.address, module: module.typeName })}
                </span>
                {module.error ? (
                  <span className="mono bus__bad" title={t('bus.scan.col.error')}>
                    {hexWord(module.error)}
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
