import { useEffect, useId, useRef, useState } from 'react';

import { RESTORE_PHASES, type RestorePhase } from '../../../shared/domain/restore';
import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';
import { formatSeconds } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { createStoreContext } from '../../platform/storeContext';
import { formatBytes } from '../../i18n/formatBytes';
import { useBackups } from '../../platform/stores/BackupsProvider';
import { PlanView } from './PlanView';
import { ProgressBar } from './ProgressBar';
import { createRestoreWizardStore, isConfirmed, type RestoreWizardState, type WizardStep } from './restoreStore';
import { UnitRunStatus } from './UnitRunStatus';
import { useBackupList } from './useBackupList';
import { VerifyProblems } from './VerifyProblems';
import { verifyVerdict } from './verifyVerdict';
import './backups.css';

const wizard = createStoreContext<RestoreWizardState>('restore wizard');
const useWizard = wizard.useSelector;

const STEPS: readonly WizardStep[] = ['choose', 'review', 'running', 'outcome'];

/**
 * Puts a unit back to one of its backups, never in one click: choose the backup, read the dry run (and a full verify
 * of the backup), type the unit's name, then watch each phase; the outcome says committed or rolled back and why.
 * Mount with a key of unit and backup.
 */
export function RestoreWizard({ name, backupId }: { name: string; backupId: string | null }) {
  const api = useApi();
  const [store] = useState(() => createRestoreWizardStore(api, name, backupId));
  useEffect(() => store.getState().actions.connect(), [store]);
  return (
    <wizard.Context value={store}>
      <WizardLayout />
    </wizard.Context>
  );
}

function WizardLayout() {
  const { t } = useI18n();
  const unit = useWizard((state) => state.unit);
  const step = useWizard((state) => state.step);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const isFirstRender = useRef(true);

  useEffect(() => {
    // Each step replaces the page's content: move keyboard and screen reader focus to its heading.
    if (isFirstRender.current) {
      isFirstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step]);

  return (
    <section
      className="page page--narrow restore"
      data-testid="restore-wizard"
      data-step={step}
      aria-labelledby={titleId}
    >
      <a className="back" href={routeHref({ page: 'unitBackups', name: unit })} data-testid="restore-back-link">
        {t('restore.backToBackups', { unit })}
      </a>
      <h1 className="page__title" id={titleId}>
        {t('restore.title', { unit })}
      </h1>
      <ol className="steps" aria-label={t('restore.steps')}>
        {STEPS.map((candidate, index) => (
          <li
            key={candidate}
            className={`steps__item${candidate === step ? ' steps__item--current' : ''}${
              STEPS.indexOf(step) > index ? ' steps__item--done' : ''
            }`}
            aria-current={candidate === step ? 'step' : undefined}
          >
            <span className="steps__number">{index + 1}</span> {t(`restore.step.${candidate}`)}
          </li>
        ))}
      </ol>
      <h2 className="section-title" ref={headingRef} tabIndex={-1} data-testid="restore-step-title">
        {t(`restore.step.${step}.title`)}
      </h2>
      {step === 'choose' ? <ChooseStep /> : null}
      {step === 'review' ? <ReviewStep /> : null}
      {step === 'running' || step === 'outcome' ? <RunStep /> : null}
    </section>
  );
}

/** The wizard of a unit without backups offers the button its text names: a first backup, followed here. */
function NoBackupsYet({ unit }: { unit: string }) {
  const { t } = useI18n();
  const run = useBackups((state) => state.run);
  const { run: startRun } = useBackups((state) => state.actions);
  return (
    <div className="empty stack" data-testid="restore-no-backups">
      <p>{t('backup.noneForUnit')}</p>
      <div className="toolbar">
        <button
          type="button"
          className="button button--primary"
          data-testid="restore-backup-now"
          disabled={run?.isRunning === true}
          onClick={() => void startRun([unit], { database: 'online', confirmServiceStop: false })}
        >
          {t('backup.runOne')}
        </button>
      </div>
      <UnitRunStatus unit={unit} expectedBytes={null} />
    </div>
  );
}

function ChooseStep() {
  const { t, language } = useI18n();
  const unit = useWizard((state) => state.unit);
  const backupId = useWizard((state) => state.backupId);
  const isReplacement = useWizard((state) => state.isReplacement);
  const { choose, setReplacement, review } = useWizard((state) => state.actions);
  const { backups, error, reload } = useBackupList(unit, 'all');
  const legendId = useId();

  return (
    <form
      className="stack"
      data-testid="restore-choose"
      onSubmit={(event) => {
        event.preventDefault();
        void review();
      }}
    >
      {error ? <ErrorNotice error={error} testId="restore-list-error" onRetry={reload} /> : null}
      {backups === null && !error ? <p className="muted">{t('backup.loading')}</p> : null}
      {backups !== null && backups.length === 0 ? <NoBackupsYet unit={unit} /> : null}
      {backups !== null && backups.length > 0 ? (
        <fieldset className="choose" aria-labelledby={legendId}>
          <legend id={legendId} className="choose__legend">
            {t('restore.chooseBackup')}
          </legend>
          {backups.map((backup) => (
            <label key={backup.id} className="choose__option" data-testid="restore-option" data-backup-id={backup.id}>
              <input
                type="radio"
                name="backup"
                value={backup.id}
                checked={backupId === backup.id}
                onChange={() => choose(backup.id)}
              />
              <span className="choose__time">
                <Time iso={backup.completedAt} />
              </span>
              <span className={`tag tag--${backup.kind}`}>{t(`backup.kind.${backup.kind}`)}</span>
              <span className="muted">
                {t('restore.optionFacts', { files: backup.files, bytes: formatBytes(backup.bytes, language) })}
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={isReplacement}
          data-testid="restore-replacement"
          onChange={(event) => setReplacement(event.target.checked)}
        />
        {t('restore.replacement')}
      </label>
      <p className="field__hint">{t('restore.replacementHint')}</p>
      <div className="toolbar">
        <button
          type="submit"
          className="button button--primary"
          data-testid="restore-review"
          disabled={backupId === null || !(backups ?? []).some((backup) => backup.id === backupId)}
        >
          {t('restore.review')}
        </button>
      </div>
    </form>
  );
}

/** The verify a restore needs: a full one (a sample is not enough to trust a backup with the vehicle). */
function useFullVerify(backupId: string | null) {
  const entry = useBackups((state) => (backupId === null ? undefined : state.verifies[backupId]));
  const verify = useBackups((state) => state.actions.verify);
  const isFull = entry !== undefined && entry.sample === undefined;
  useEffect(() => {
    if (backupId !== null && !isFull && entry?.status !== 'running') {
      void verify(backupId);
    }
  }, [backupId, isFull, entry?.status, verify]);
  return isFull ? entry : undefined;
}

function ReviewStep() {
  const { t } = useI18n();
  const unit = useWizard((state) => state.unit);
  const plan = useWizard((state) => state.plan);
  const isPlanning = useWizard((state) => state.isPlanning);
  const planError = useWizard((state) => state.planError);
  const typed = useWizard((state) => state.typed);
  const backupId = useWizard((state) => state.backupId);
  const { back, review, setTyped, run } = useWizard((state) => state.actions);
  const verify = useFullVerify(backupId);
  const isVerified = verify?.status === 'done' && verify.result.ok;
  const verdict = verify?.status === 'done' ? verifyVerdict(verify.result) : null;
  const isDamaged = verdict === 'damaged' || verdict === 'locked';
  const confirmId = useId();
  const confirmHintId = useId();
  const canRun = plan !== null && isVerified && isConfirmed(typed, unit);

  return (
    <div className="stack" data-testid="restore-review-step">
      <p className="muted">{t('restore.dryRunNote')}</p>
      {isPlanning ? (
        <p className="phase" role="status" data-testid="restore-planning">
          <span className="phase__dot" aria-hidden="true" />
          {t('restore.planning')}
        </p>
      ) : null}
      {planError ? <ErrorNotice error={planError} testId="restore-plan-error" onRetry={() => void review()} /> : null}
      {plan ? <PlanView plan={plan} /> : null}

      <div data-testid="restore-verify" data-verify={verdict ?? verify?.status ?? 'running'}>
        {!verify || verify.status === 'running' ? (
          <p className="phase" role="status">
            <span className="phase__dot" aria-hidden="true" />
            {t('restore.verifying')}
          </p>
        ) : null}
        {isVerified ? (
          <p className="notice notice--ok">{t('restore.verified', { count: verify.result.checkedFiles })}</p>
        ) : null}
        {isDamaged && backupId !== null ? (
          <>
            <p className="notice notice--error" role="alert" data-testid="restore-blocked" data-verdict={verdict}>
              {verdict === 'locked' ? t('restore.lockedBlocks') : t('restore.damagedBlocks')}
            </p>
            <VerifyProblems backupId={backupId} testId="restore-verify-problems" />
          </>
        ) : null}
        {verify?.status === 'failed' && backupId !== null ? (
          <>
            <p className="notice notice--error" role="alert" data-testid="restore-blocked">
              {t('restore.unverifiedBlocks')}
            </p>
            <VerifyProblems backupId={backupId} testId="restore-verify-problems" />
          </>
        ) : null}
      </div>

      <form
        className="panel confirm"
        data-testid="restore-confirm-form"
        onSubmit={(event) => {
          event.preventDefault();
          void run(isVerified);
        }}
      >
        <div className="field">
          <label htmlFor={confirmId}>{t('restore.typeName', { unit })}</label>
          <input
            id={confirmId}
            type="text"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            data-testid="restore-confirm-name"
            aria-describedby={confirmHintId}
            disabled={plan === null || !isVerified}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
          />
          <span className="field__hint" id={confirmHintId}>
            {t('restore.typeNameHint')}
          </span>
        </div>
        <div className="toolbar">
          <button type="button" className="button" data-testid="restore-back" onClick={back}>
            {t('restore.back')}
          </button>
          <button type="submit" className="button button--danger" data-testid="restore-run" disabled={!canRun}>
            {t('restore.run', { unit })}
          </button>
        </div>
      </form>
    </div>
  );
}

function RunStep() {
  const { t, language } = useI18n();
  const unit = useWizard((state) => state.unit);
  const step = useWizard((state) => state.step);
  const phases = useWizard((state) => state.phases);
  const result = useWizard((state) => state.result);
  const runError = useWizard((state) => state.runError);
  const noteChanged = useBackups((state) => state.actions.noteChanged);
  const durations = new Map((result?.phases ?? []).map((record) => [record.phase, record.durationMs]));
  const shown = RESTORE_PHASES.filter((phase) => phase !== 'rollback' || phases.rollback !== undefined);

  useEffect(() => {
    if (step === 'outcome') {
      // The restore left a snapshot in the store: lists elsewhere should show it.
      noteChanged();
    }
  }, [step, noteChanged]);

  return (
    <div className="stack" data-testid="restore-run-step">
      {step === 'running' ? (
        <p className="notice notice--attention" role="status">
          {t('restore.runningNote')}
        </p>
      ) : null}
      {result?.result === 'committed' ? (
        <div className="notice notice--ok" role="status" data-testid="restore-outcome" data-result="committed">
          <p className="notice__title">{t('restore.committed', { unit })}</p>
          <p>
            {t('restore.committedDetail', {
              changes: result.changes.length,
              services: result.services.length > 0 ? result.services.join(', ') : '—',
              seconds: formatSeconds(result.durationMs, language),
            })}
          </p>
          {result.snapshotId ? <p className="mono">{t('restore.snapshot', { id: result.snapshotId })}</p> : null}
        </div>
      ) : null}
      {result?.result === 'rolled-back' ? (
        <div className="notice notice--error" role="alert" data-testid="restore-outcome" data-result="rolled-back">
          <p className="notice__title">{t('restore.rolledBack', { unit })}</p>
          <p data-testid="restore-reason">{result.reason ?? t('restore.noReason')}</p>
          {result.snapshotId ? <p className="mono">{t('restore.snapshot', { id: result.snapshotId })}</p> : null}
        </div>
      ) : null}
      {runError ? (
        <>
          <ErrorNotice error={runError} testId="restore-run-error" />
          <p className="notice notice--attention">{t('restore.failedNote')}</p>
        </>
      ) : null}
      <ol className="phases" data-testid="restore-phases">
        {shown.map((phase) => (
          <PhaseRow key={phase} phase={phase} durationMs={durations.get(phase)} isOver={step === 'outcome'} />
        ))}
      </ol>
      {step === 'outcome' ? (
        <div className="toolbar">
          <a className="button button--primary" href={routeHref({ page: 'unitBackups', name: unit })}>
            {t('restore.backToBackups', { unit })}
          </a>
          <a className="button" href={routeHref({ page: 'unit', name: unit })} data-testid="restore-open-unit">
            {t('backup.openUnit', { unit })}
          </a>
        </div>
      ) : null}
    </div>
  );
}

type PhaseRowProps = {
  phase: RestorePhase;
  durationMs: number | undefined;
  /** The restore has ended: a phase never reported was not run, rather than waiting. */
  isOver: boolean;
};

function PhaseRow({ phase, durationMs, isOver }: PhaseRowProps) {
  const { t, language } = useI18n();
  const view = useWizard((state) => state.phases[phase]);
  const status = view?.status ?? 'pending';
  const hasCount = view?.done !== undefined && view.total !== undefined && view.total > 0;
  return (
    <li className={`phases__item phases__item--${status}`} data-testid={`restore-phase-${phase}`} data-status={status}>
      <span className="phases__mark" aria-hidden="true">
        {status === 'ok'
          ? '✓'
          : status === 'failed'
            ? '✗'
            : status === 'skipped'
              ? '–'
              : status === 'started'
                ? '…'
                : '·'}
      </span>
      <span className="phases__name">{t(`restore.phase.${phase}`)}</span>
      <span className="phases__status">
        {status === 'pending' && isOver ? t('restore.status.notRun') : t(`restore.status.${status}`)}
      </span>
      {durationMs !== undefined ? (
        <span className="muted">{t('restore.seconds', { seconds: formatSeconds(durationMs, language) })}</span>
      ) : null}
      {view?.detail ? <span className="phases__detail">{view.detail}</span> : null}
      {hasCount && status === 'started' ? (
        <span className="phases__bar">
          <ProgressBar
            fraction={(view.done ?? 0) / (view.total ?? 1)}
            tone="running"
            label={t(`restore.phase.${phase}`)}
          />
          <span className="muted">
            {view.done} / {view.total}
          </span>
        </span>
      ) : null}
    </li>
  );
}
