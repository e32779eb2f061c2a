import { useId } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { RAW_FORMATS, type RawFormat } from './registerView';

type RegisterToolsProps = {
  filter: string;
  onFilter: (filter: string) => void;
  rawFormat: RawFormat;
  onRawFormat: (format: RawFormat) => void;
  shown: number;
  total: number;
};

/** The filter over a module's registers and the form its raw words are written in. */
export function RegisterTools({ filter, onFilter, rawFormat, onRawFormat, shown, total }: RegisterToolsProps) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="bus__reg-tools">
      <label className="bus__reg-filter" htmlFor={`${id}-filter`}>
        {t('bus.reg.filter')}
      </label>
      <input
        id={`${id}-filter`}
        type="search"
        className="input"
        value={filter}
        placeholder={t('bus.reg.filterHint')}
        onChange={(event) => onFilter(event.target.value)}
        data-testid="register-filter"
      />
      <span className="muted" data-testid="registers-shown" data-shown={shown} data-total={total}>
        {t('bus.reg.shown', { shown, total })}
      </span>
      <span className="bus__spacer" />
      <div className="segmented" role="radiogroup" aria-label={t('bus.reg.format')}>
        {RAW_FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            role="radio"
            aria-checked={format === rawFormat}
            className={`segmented__item${format === rawFormat ? ' segmented__item--on' : ''}`}
            onClick={() => onRawFormat(format)}
            data-testid={`raw-format-${format}`}
          >
            {t(`bus.reg.format.${format}`)}
          </button>
        ))}
      </div>
    </div>
  );
}
