import type { CallOutput } from '../../../shared/ipc/contract';
import { useI18n } from '../../i18n/I18nProvider';
import { actorText } from '../../i18n/actor';

/** Who ran what on which units, how it ended, its signature, and the workstation's version. */
export function ReportFacts({ run, version }: { run: CallOutput<'procedures.run.get'>; version: string }) {
  const { t, time } = useI18n();
  return (
    <dl className="report-sheet__facts">
      <dt>{t('report.units')}</dt>
      <dd data-testid="report-units">{run.units.join(', ')}</dd>
      <dt>{t('report.started')}</dt>
      <dd>
        {time(run.startedAt)} · {actorText(run.startedBy, t)}
      </dd>
      <dt>{t('report.outcome')}</dt>
      <dd data-testid="report-outcome">
        {t(`run.state.${run.state}`)}
        {run.endedAt ? ` · ${time(run.endedAt)}` : ''}
        {run.abortReason ? ` · ${run.abortReason}` : ''}
        {run.escalationLevel !== null ? ` · ${t('run.level', { level: run.escalationLevel })}` : ''}
      </dd>
      <dt>{t('report.signature')}</dt>
      <dd data-testid="report-signature">
        {run.signature
          ? `${run.signature.signedBy} · ${time(run.signature.signedAt)} · sha256:${run.signature.recordHash}`
          : t('report.unsigned')}
      </dd>
      <dt>{t('report.app')}</dt>
      <dd>OHT-50 Workstation {version}</dd>
    </dl>
  );
}
