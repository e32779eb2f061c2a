import { useId, useState } from 'react';

import type { CheckResult } from '../../../shared/domain/health';
import { CheckId } from '../../components/CheckId';
import { LevelChip } from '../../components/LevelChip';
import { SaidText } from '../../components/SaidText';
import { useI18n } from '../../i18n/I18nProvider';
import { routeHref } from '../../platform/routes';

/**
 * One check of the health tree in the reader's language, its evidence on demand (as the vehicle printed it), and its
 * children indented beneath it. Fix… is offered on the findings above the tree, once per cause, not on every check;
 * given the unit and the moment of the sweep, a WARN or ERROR check opens the unit's logs of that moment.
 */
export function CheckNode({
  check,
  unit,
  checkedAt,
}: {
  check: CheckResult;
  unit?: string | undefined;
  /** When the sweep ran: a WARN or ERROR check opens the unit's logs of that moment. */
  checkedAt?: string | undefined;
}) {
  const { t } = useI18n();
  const [isEvidenceOpen, setEvidenceOpen] = useState(false);
  const evidenceId = useId();
  const children = check.children ?? [];
  // A group that only summarises its children has no output of its own; a leaf always offers its evidence.
  const hasEvidence = check.evidence !== '' || children.length === 0;

  return (
    <li className="check">
      <div
        className={`check__row check__row--${check.level.toLowerCase()}`}
        data-testid={`check-${check.id}`}
        data-level={check.level}
      >
        <LevelChip level={check.level} />
        <CheckId id={check.id} />
        <span className="check__text">
          <SaidText check={check} className="check__message" />
          {check.runbook ? (
            <span className="check__runbook" data-testid={`runbook-${check.id}`}>
              {t('check.runbook')}: <span translate="no">{check.runbook}</span>
            </span>
          ) : null}
        </span>
        <span className="check__actions">
          {unit !== undefined && checkedAt !== undefined && (check.level === 'WARN' || check.level === 'ERROR') ? (
            <a
              className="button button--small button--quiet"
              href={routeHref({ page: 'unit', name: unit, tab: 'logs', at: checkedAt })}
              data-testid={`logs-at-${check.id}`}
            >
              {t('check.logsAt')}
            </a>
          ) : null}
          {hasEvidence ? (
            <button
              type="button"
              className="button button--small button--quiet"
              data-testid={`evidence-toggle-${check.id}`}
              aria-expanded={isEvidenceOpen}
              aria-controls={evidenceId}
              onClick={() => setEvidenceOpen((open) => !open)}
            >
              {isEvidenceOpen ? t('check.hideEvidence') : t('check.showEvidence')}
            </button>
          ) : (
            <span />
          )}
        </span>
      </div>
      {isEvidenceOpen ? (
        <pre className="evidence" id={evidenceId} data-testid={`evidence-${check.id}`} translate="no">
          {check.evidence || t('check.noEvidence')}
        </pre>
      ) : null}
      {children.length > 0 ? (
        <ul className="check__children">
          {children.map((child) => (
            <CheckNode key={child.id} check={child} unit={unit} checkedAt={checkedAt} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
