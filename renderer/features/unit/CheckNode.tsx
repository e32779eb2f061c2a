import { useId, useState } from 'react';

import type { CheckResult } from '../../../shared/domain/health';
import { LevelChip } from '../../components/LevelChip';
import { SaidText } from '../../components/SaidText';
import { useI18n } from '../../i18n/I18nProvider';

/**
 * One check of the health tree in the reader's language, its evidence on demand (as the vehicle printed it), and its
 * children indented beneath it. Fix… is offered on the findings above the tree, once per cause, not on every check.
 */
export function CheckNode({ check }: { check: CheckResult }) {
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
        <span className="check__id mono" translate="no">
          {check.id}
        </span>
        <span className="check__text">
          <SaidText check={check} className="check__message" />
          {check.runbook ? (
            <span className="check__runbook" data-testid={`runbook-${check.id}`}>
              {t('check.runbook')}: <span translate="no">{check.runbook}</span>
            </span>
          ) : null}
        </span>
        <span className="check__actions">
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
            <CheckNode key={child.id} check={child} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
