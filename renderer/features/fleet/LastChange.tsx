import { useMemo } from 'react';

import { groupChanges, useChanges } from '../changes';
import { useI18n } from '../../i18n/I18nProvider';

/** The first thing that changed in the unit's latest run, and how many more; asked again when a new run lands. */
export function LastChange({ name, lastRunAt }: { name: string; lastRunAt: string | null }) {
  const { t } = useI18n();
  const { value } = useChanges(name, undefined, lastRunAt);
  // Counted per check, as the unit page lists them.
  const groups = useMemo(() => groupChanges(value?.changes ?? []), [value]);
  const first = value?.changes[0];
  const more = groups.length - 1;
  if (!value || value.previousRunId === null) {
    return null;
  }
  if (!first) {
    return <span className="muted">{t('fleet.noChange')}</span>;
  }
  return (
    <span
      className="fleet__change"
      data-testid={`last-change-${name}`}
      title={value.changes.map((c) => c.text).join('\n')}
    >
      <span className="fleet__change-text">{first.text}</span>
      {more > 0 ? <span className="muted fleet__change-more">{t('fleet.moreChanges', { count: more })}</span> : null}
    </span>
  );
}
