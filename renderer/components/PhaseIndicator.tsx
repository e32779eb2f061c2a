import type { EventPayload } from '../../shared/ipc/contract';
import { useI18n } from '../i18n/I18nProvider';

export type DiagnosisPhase = EventPayload<'diagnostics.progress'>['phase'];

/** Shows that a diagnosis is under way, and which part of it, as the core reports progress. */
export function PhaseIndicator({ phase, testId }: { phase: DiagnosisPhase; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className="phase" role="status" data-testid={testId} data-phase={phase}>
      <span className="phase__dot" aria-hidden="true" />
      {t(`phase.${phase}`)}
    </span>
  );
}
