import { useMemo } from 'react';

import type { CheckResult, Finding } from '../../../shared/domain/health';
import { routeHref } from '../../platform/routes';
import { LevelChip } from '../../components/LevelChip';
import { SaidText } from '../../components/SaidText';
import { useI18n } from '../../i18n/I18nProvider';
import './findings.css';

/**
 * What a diagnosis found, worst first: each finding is the check that explains the others, with one Fix… that opens
 * the procedure it preselects, and the checks that follow from it folded beneath.
 */
export function FindingList({
  findings,
  checks,
  unit,
  testId = 'findings',
}: {
  findings: readonly Finding[];
  checks: readonly CheckResult[];
  /** The unit to fix; without it (the bus page's bench bus) no Fix… is offered. */
  unit?: string | undefined;
  testId?: string;
}) {
  const byId = useMemo(() => indexChecks(checks), [checks]);
  return (
    <ol className="findings" data-testid={testId}>
      {findings.map((finding) => (
        <FindingItem key={finding.root} finding={finding} byId={byId} unit={unit} />
      ))}
    </ol>
  );
}

function FindingItem({
  finding,
  byId,
  unit,
}: {
  finding: Finding;
  byId: ReadonlyMap<string, CheckResult>;
  unit: string | undefined;
}) {
  const { t, language } = useI18n();
  const count = finding.consequences.length;
  return (
    <li
      className={`finding finding--${finding.level.toLowerCase()}`}
      data-testid={`finding-${finding.root}`}
      data-level={finding.level}
    >
      <div className="finding__head">
        <LevelChip level={finding.level} />
        <SaidText check={finding} className="finding__message" testId={`finding-message-${finding.root}`} />
      </div>
      <p className="finding__meta muted">
        {t('findings.root')}{' '}
        <span className="mono" translate="no">
          {finding.root}
        </span>
        {finding.runbook ? (
          <>
            {' · '}
            {t('check.runbookSection')}: <span translate="no">{finding.runbook}</span>
          </>
        ) : null}
      </p>
      {unit !== undefined && finding.procedure ? (
        <a
          className="button button--primary button--small finding__fix"
          href={routeHref({ page: 'recover', unit, checkId: finding.root, procedure: finding.procedure.id })}
          data-testid={`fix-${finding.root}`}
          data-procedure={finding.procedure.id}
        >
          {t('findings.fix', {
            procedure: finding.procedure.title[language] ?? finding.procedure.title['en'] ?? finding.procedure.id,
          })}
        </a>
      ) : null}
      {unit !== undefined && !finding.procedure ? <p className="muted">{t('findings.noProcedure')}</p> : null}
      {count > 0 ? (
        <details className="finding__consequences" data-testid={`consequences-${finding.root}`}>
          <summary>{count === 1 ? t('findings.followOne') : t('findings.follow', { count })}</summary>
          <ul>
            {finding.consequences.map((consequence) => {
              const check = byId.get(consequence.id);
              return (
                <li key={consequence.id} className="finding__consequence" data-testid={`consequence-${consequence.id}`}>
                  <LevelChip level={consequence.level} />{' '}
                  <span className="mono" translate="no">
                    {consequence.id}
                  </span>
                  {check ? (
                    <>
                      {' '}
                      <SaidText check={check} />
                    </>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </details>
      ) : null}
    </li>
  );
}

function indexChecks(checks: readonly CheckResult[]): Map<string, CheckResult> {
  const byId = new Map<string, CheckResult>();
  const visit = (check: CheckResult): void => {
    byId.set(check.id, check);
    (check.children ?? []).forEach(visit);
  };
  checks.forEach(visit);
  return byId;
}
