import { useState } from 'react';

import type { RestorePlan } from '../../../shared/domain/restore';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../i18n/formatBytes';
import { groupPlanChanges, type RootGroup } from './restoreDiff';

/** Paths shown per root before "show all": enough to read, not so many that the page drowns. */
const FIRST_PATHS = 100;

/** The dry run: counts, services that will restart, the host key, then every path as on the unit, grouped. */
export function PlanView({ plan }: { plan: RestorePlan }) {
  const { t, language } = useI18n();
  const groups = groupPlanChanges(plan.changes, plan.roots);
  const changeCount = plan.counts.create + plan.counts.modify + plan.counts.delete;
  const keyDiffers =
    plan.hostKey.pinned !== null && plan.hostKey.atBackup !== null && plan.hostKey.pinned !== plan.hostKey.atBackup;

  return (
    <div className="plan" data-testid="restore-plan">
      <p className="plan__meta">
        {t('restore.plan.of', { unit: plan.unit })} <Time iso={plan.backupCreatedAt} />
      </p>
      <ul className="plan__counts" aria-label={t('restore.plan.counts')}>
        <li className="count count--create" data-testid="plan-count-create">
          <strong>{plan.counts.create}</strong> {t('restore.action.create')}
        </li>
        <li className="count count--modify" data-testid="plan-count-modify">
          <strong>{plan.counts.modify}</strong> {t('restore.action.modify')}
        </li>
        <li className="count count--delete" data-testid="plan-count-delete">
          <strong>{plan.counts.delete}</strong> {t('restore.action.delete')}
        </li>
        <li className="count" data-testid="plan-count-unchanged">
          <strong>{plan.counts.unchanged}</strong> {t('restore.unchanged')}
        </li>
        <li className="count">{t('restore.plan.bytes', { bytes: formatBytes(plan.bytesToSend, language) })}</li>
      </ul>

      <dl className="facts plan__facts">
        <div>
          <dt>{t('restore.plan.services')}</dt>
          <dd className="mono" data-testid="plan-services">
            {plan.services.length > 0 ? plan.services.join(' → ') : t('restore.plan.noServices')}
          </dd>
        </div>
        <div>
          <dt>{t('restore.plan.hostKey')}</dt>
          <dd className="mono" data-testid="plan-hostkey">
            {plan.hostKey.pinned ?? '—'}
            {keyDiffers ? ` (${t('restore.plan.keyAtBackup', { key: plan.hostKey.atBackup ?? '' })})` : ''}
          </dd>
        </div>
      </dl>
      <details className="plan__roots">
        <summary>{t('restore.plan.roots', { count: plan.roots.length })}</summary>
        <ul className="mono">
          {plan.roots.map((root) => (
            <li key={root}>{root}</li>
          ))}
        </ul>
      </details>
      {notesOf(plan).map((note) => (
        <p key={note} className="notice notice--attention" role="alert" data-testid="plan-note">
          {note}
        </p>
      ))}
      {plan.replacement ? (
        <p className="notice notice--attention" data-testid="plan-replacement">
          {t('restore.plan.replacement')}
        </p>
      ) : null}

      {changeCount === 0 ? (
        <p className="notice notice--ok" data-testid="plan-nothing">
          {t('restore.plan.nothing')}
        </p>
      ) : (
        groups.map((group) => (
          <section
            key={group.action}
            className={`diff diff--${group.action}`}
            data-testid={`plan-group-${group.action}`}
          >
            <h3 className="diff__title">{t(`restore.group.${group.action}`, { count: group.count })}</h3>
            {group.roots.map((root) => (
              <RootPaths key={root.root} group={root} />
            ))}
          </section>
        ))
      )}
    </div>
  );
}

/** Notes the core puts first (an earlier restore of the unit that did not finish); absent from older cores. */
function notesOf(plan: RestorePlan): string[] {
  const { notes } = plan as RestorePlan & { notes?: unknown };
  return Array.isArray(notes) ? notes.filter((note): note is string => typeof note === 'string') : [];
}

function RootPaths({ group }: { group: RootGroup }) {
  const { t } = useI18n();
  const [isAll, setAll] = useState(false);
  const shown = isAll ? group.changes : group.changes.slice(0, FIRST_PATHS);
  return (
    <div className="diff__root">
      <p className="diff__root-name mono">
        {group.root} <span className="muted">({group.changes.length})</span>
      </p>
      <ul className="diff__paths">
        {shown.map((change) => (
          <li
            key={change.path}
            className="diff__path"
            data-testid="plan-change"
            data-action={change.action}
            data-path={change.path}
          >
            <span className="diff__sign" aria-hidden="true">
              {change.action === 'create' ? '+' : change.action === 'delete' ? '−' : '~'}
            </span>
            <span className="mono">{change.path}</span>
            {change.type !== 'file' ? <span className="tag tag--quiet">{t(`restore.type.${change.type}`)}</span> : null}
            {change.differs.map((what) => (
              <span key={what} className="tag tag--quiet">
                {t(`restore.differs.${what}`)}
              </span>
            ))}
          </li>
        ))}
      </ul>
      {group.changes.length > FIRST_PATHS ? (
        <button type="button" className="button button--small button--quiet" onClick={() => setAll(!isAll)}>
          {isAll ? t('restore.showFewer') : t('restore.showAll', { count: group.changes.length })}
        </button>
      ) : null}
    </div>
  );
}
