import { useEffect, useMemo, useRef } from 'react';

import type { HealthLevel } from '../../../shared/domain/health';
import { line } from '../../../shared/domain/logbookWords';
import { sayIn } from '../../../shared/domain/words';
import { useI18n } from '../../i18n/I18nProvider';
import { useUnit } from '../../platform/stores/unitContext';

/** How many of the latest runs the strip shows; the history list beside it goes further back. */
export const TIMELINE_RUNS = 60;

/** A shape per level, so the strip reads without colour too. */
const MARK: Record<HealthLevel, string> = { OK: '✓', WARN: '!', ERROR: '✕', STALE: '?' };

/** The unit's runs as a strip, oldest on the left: each a mark in its level's colour; picking one shows that run. */
export function RunTimeline() {
  const { t, time, language } = useI18n();
  const history = useUnit((state) => state.history);
  const shownRunId = useUnit((state) => state.report?.runId ?? null);
  const { selectRun, showLatest } = useUnit((state) => state.actions);
  const strip = useRef<HTMLOListElement>(null);
  const runs = useMemo(
    () =>
      (history ?? [])
        .filter((entry) => entry.kind === 'diagnosis')
        .slice(0, TIMELINE_RUNS)
        .reverse(),
    [history],
  );
  const newest = runs[runs.length - 1];
  const oldest = runs[0];

  // Keep the newest run in view when the strip is wider than the page.
  useEffect(() => {
    const element = strip.current;
    if (element) {
      element.scrollLeft = element.scrollWidth;
    }
  }, [newest?.id]);

  if (!newest || !oldest) {
    return null;
  }
  return (
    <div className="timeline">
      <span className="timeline__label">{t('timeline.title')}</span>
      <ol className="timeline__runs" data-testid="timeline" ref={strip}>
        {runs.map((run) => {
          const level = run.level ?? 'STALE';
          const label = t('timeline.run', { level, time: time(run.at) });
          const isShown = run.id === shownRunId;
          return (
            <li key={run.id} className="timeline__item">
              <button
                type="button"
                className={`timeline__run timeline__run--${level.toLowerCase()}`}
                data-testid="timeline-run"
                data-run-id={run.id}
                data-level={level}
                aria-current={isShown ? 'true' : undefined}
                aria-label={label}
                title={`${label}\n${run.say ? line(sayIn(run.say, language, run.summary)) : run.summary}`}
                onClick={() => void (run.id === newest.id ? showLatest() : selectRun(run.id))}
              >
                <span aria-hidden="true">{MARK[level]}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <span className="timeline__range muted">
        {runs.length === 1
          ? t('timeline.single', { at: time(newest.at) })
          : t('timeline.range', { count: runs.length, from: time(oldest.at), to: time(newest.at) })}
      </span>
    </div>
  );
}
