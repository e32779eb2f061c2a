import type { Dispatch, SetStateAction } from 'react';

import { useI18n } from '../../i18n/I18nProvider';

export type OverrideDrafts = Record<string, { by: string; reason: string }>;

type Props = { gates: readonly string[]; drafts: OverrideDrafts; onChange: Dispatch<SetStateAction<OverrideDrafts>> };

/** Who overrides each red gate and why, as typed so far. */
export function GateOverrideFields({ gates, drafts, onChange }: Props) {
  const { t } = useI18n();
  return (
    <fieldset className="confirm__overrides">
      <legend>{t('run.overrideTitle')}</legend>
      {gates.map((gate) => (
        <div key={gate} className="confirm__override">
          <span className="mono">{gate}</span>
          <input
            placeholder={t('run.overrideBy')}
            aria-label={`${gate} ${t('run.overrideBy')}`}
            data-testid={`override-by-${gate}`}
            value={drafts[gate]?.by ?? ''}
            onChange={(event) =>
              onChange((all) => ({ ...all, [gate]: { by: event.target.value, reason: all[gate]?.reason ?? '' } }))
            }
          />
          <input
            placeholder={t('run.overrideReason')}
            aria-label={`${gate} ${t('run.overrideReason')}`}
            data-testid={`override-reason-${gate}`}
            value={drafts[gate]?.reason ?? ''}
            onChange={(event) =>
              onChange((all) => ({ ...all, [gate]: { by: all[gate]?.by ?? '', reason: event.target.value } }))
            }
          />
        </div>
      ))}
    </fieldset>
  );
}
