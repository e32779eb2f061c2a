import { useI18n } from '../../i18n/I18nProvider';
import { useUnit } from '../../platform/stores/unitContext';
import { ChangesBox } from './ChangesBox';
import { RunTimeline } from './RunTimeline';
import '../../styles/changes.css';

/** The unit's runs over time and what changed in the one on show; nothing until the unit has been diagnosed. */
export function UnitChanges() {
  const { t } = useI18n();
  const hasRuns = useUnit((state) => state.history?.some((entry) => entry.kind === 'diagnosis') ?? false);
  if (!hasRuns) {
    return null;
  }
  return (
    <section className="panel changes-panel" aria-label={t('changes.title')}>
      <RunTimeline />
      <ChangesBox />
    </section>
  );
}
