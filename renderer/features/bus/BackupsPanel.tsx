import { useEffect, useId, useState } from 'react';

import type { CallOutput } from '../../../shared/ipc/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useBus } from './busContext';
import { unitForCalls } from './busStore';
import { Dialog } from './Dialog';
import { moduleTypeKey, outcomeKey } from './moduleText';

type BackupSummary = CallOutput<'rs485.params.list'>[number];
type RestorePlan = CallOutput<'rs485.params.planRestore'>;
type RestoreResults = CallOutput<'rs485.params.restore'>['results'];

/** Every writable register of the modules kept in the fleet history; a restore shows its differences first. */
export function BackupsPanel({ busId }: { busId: string }) {
  const { t, time } = useI18n();
  const api = useApi();
  const unit = useBus(unitForCalls);
  const [backups, setBackups] = useState<BackupSummary[] | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isTaking, setTaking] = useState(false);
  const [skipped, setSkipped] = useState<string[]>([]);
  const [restoring, setRestoring] = useState<BackupSummary | null>(null);
  const id = useId();

  // Bumped after a backup is taken, to list it.
  const [listed, setListed] = useState(0);

  useEffect(() => {
    let isCurrent = true;
    api.call('rs485.params.list', unit ? { unit } : {}).then(
      (list) => isCurrent && setBackups(list),
      (caught: unknown) => isCurrent && setError(caught),
    );
    return () => {
      isCurrent = false;
    };
  }, [api, unit, listed]);

  const take = async (): Promise<void> => {
    setTaking(true);
    setError(null);
    try {
      const trimmed = note.trim();
      const answer = await api.call('rs485.params.backup', {
        busId,
        ...(unit ? { unit } : {}),
        ...(trimmed ? { note: trimmed } : {}),
      });
      setSkipped(answer.skipped);
      setNote('');
      setListed((count) => count + 1);
    } catch (caught) {
      setError(caught);
    } finally {
      setTaking(false);
    }
  };

  return (
    <section className="panel bus__backups" aria-labelledby={`${id}-title`} data-testid="bus-backups">
      <header className="panel__head">
        <h2 className="section-title" id={`${id}-title`}>
          {t('bus.backup.title')}
        </h2>
      </header>
      <p className="muted">{unit ? t('bus.backup.forUnit', { unit }) : t('bus.backup.forBench')}</p>
      <form
        className="bus__backup-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!isTaking) {
            void take();
          }
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-note`}>{t('bus.backup.note')}</label>
          <input
            id={`${id}-note`}
            type="text"
            value={note}
            maxLength={500}
            onChange={(event) => setNote(event.target.value)}
            data-testid="backup-note"
          />
        </div>
        <button type="submit" className="button button--primary" disabled={isTaking} data-testid="backup-take">
          {isTaking ? t('bus.backup.taking') : t('bus.backup.take')}
        </button>
      </form>
      {error ? <ErrorNotice error={error} testId="backup-error" /> : null}
      {skipped.length > 0 ? (
        <div className="notice notice--attention" data-testid="backup-skipped">
          <p className="notice__title">{t('bus.backup.skipped')}</p>
          <ul>
            {skipped.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {backups !== null && backups.length === 0 ? (
        <p className="empty" data-testid="backups-empty">
          {t('bus.backup.none')}
        </p>
      ) : null}
      {backups !== null && backups.length > 0 ? (
        <table className="bus-table" data-testid="backups-table">
          <thead>
            <tr>
              <th scope="col">{t('bus.backup.col.taken')}</th>
              <th scope="col">{t('bus.backup.col.by')}</th>
              <th scope="col">{t('bus.backup.col.modules')}</th>
              <th scope="col">{t('bus.backup.col.note')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('bus.reg.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.map((backup) => (
              <tr key={backup.id} data-testid="backup-row" data-backup-id={backup.id}>
                <td>{time(backup.takenAt)}</td>
                <td>{backup.takenBy}</td>
                <td>
                  {backup.modules
                    .map((m) =>
                      t('bus.backup.moduleCount', {
                        module: t(moduleTypeKey(m.type)),
                        registers: m.registers,
                        unread: m.unread,
                      }),
                    )
                    .join(' · ')}
                </td>
                <td>{backup.note ?? '—'}</td>
                <td>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => setRestoring(backup)}
                    data-testid="backup-restore"
                  >
                    {t('bus.backup.restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {restoring ? (
        <RestoreDialog busId={busId} unit={unit} backup={restoring} onClose={() => setRestoring(null)} />
      ) : null}
    </section>
  );
}

/** The planned restore (differences first, refusals named), then an explicit confirmation, then each write's result. */
function RestoreDialog({
  busId,
  unit,
  backup,
  onClose,
}: {
  busId: string;
  unit: string | undefined;
  backup: BackupSummary;
  onClose: () => void;
}) {
  const { t, time } = useI18n();
  const api = useApi();
  const [plan, setPlan] = useState<RestorePlan | null>(null);
  const [results, setResults] = useState<RestoreResults | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(true);
  const [isChecked, setChecked] = useState(false);
  const [isSafetyChecked, setSafetyChecked] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    api.call('rs485.params.planRestore', { busId, backupId: backup.id, ...(unit ? { unit } : {}) }).then(
      (answer) => {
        if (isCurrent) {
          setPlan(answer);
          setBusy(false);
        }
      },
      (caught: unknown) => {
        if (isCurrent) {
          setError(caught);
          setBusy(false);
        }
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [api, busId, backup.id, unit]);

  const writable = plan ? plan.modules.flatMap((m) => m.differences.filter((d) => d.refused === undefined)) : [];
  const mayRestore = plan !== null && writable.length > 0 && isChecked && (!plan.needsConfirmation || isSafetyChecked);

  const restore = async (): Promise<void> => {
    if (!plan) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await api.call('rs485.params.restore', {
        planId: plan.planId,
        confirm: plan.needsConfirmation && isSafetyChecked,
      });
      setResults(answer.results);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('bus.restore.title', { time: time(backup.takenAt) })}
      testId="restore-dialog"
      onClose={onClose}
      isDanger={plan?.needsConfirmation ?? false}
    >
      {isBusy && plan === null ? <p className="muted">{t('bus.restore.planning')}</p> : null}
      {error ? <ErrorNotice error={error} testId="restore-error" /> : null}
      {plan && results === null ? (
        <div data-testid="restore-plan" data-differences={writable.length}>
          {plan.modules.map((module) => (
            <div key={`${module.type}-${module.address}`} className="bus-restore__module">
              <h3 className="bus__subtitle">
                {t('bus.module.title', { module: t(moduleTypeKey(module.type)), address: module.address })}
              </h3>
              {module.refused !== undefined ? <p className="notice notice--error">{module.refused}</p> : null}
              {module.differences.length > 0 ? (
                <ul className="bus-restore__diffs">
                  {module.differences.map((d) => (
                    <li key={d.name} data-testid="restore-diff" data-refused={d.refused !== undefined}>
                      <span>{d.label}</span> <span className="mono muted">({d.name})</span>: <strong>{d.change}</strong>
                      {d.safetyCritical ? <span className="tag tag--danger">{t('bus.reg.safetyCritical')}</span> : null}
                      {d.refused !== undefined ? (
                        <span className="bus__bad">
                          {' '}
                          {t('bus.restore.notWritten')}: {d.refused}
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : module.refused === undefined ? (
                <p className="muted">{t('bus.restore.same', { count: module.same.length })}</p>
              ) : null}
              {module.skipped.map((s) => (
                <p key={s.name} className="muted">
                  {s.name}: {s.reason}
                </p>
              ))}
            </div>
          ))}
          {writable.length === 0 ? (
            <p className="notice notice--ok" data-testid="restore-nothing">
              {t('bus.restore.nothing')}
            </p>
          ) : (
            <div className="bus-plan__confirm">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={isChecked}
                  onChange={(event) => setChecked(event.target.checked)}
                  data-testid="restore-confirm"
                />
                {t('bus.restore.confirm', { count: writable.length })}
              </label>
              {plan.needsConfirmation ? (
                <label className="checkbox bus-plan__safety">
                  <input
                    type="checkbox"
                    checked={isSafetyChecked}
                    onChange={(event) => setSafetyChecked(event.target.checked)}
                    data-testid="restore-confirm-safety"
                  />
                  {t('bus.write.confirmSafety')}
                </label>
              ) : null}
            </div>
          )}
          <div className="toolbar bus-dialog__actions">
            {writable.length > 0 ? (
              <button
                type="button"
                className={`button ${plan.needsConfirmation ? 'button--danger' : 'button--primary'}`}
                disabled={!mayRestore || isBusy}
                onClick={() => void restore()}
                data-testid="restore-apply"
              >
                {t('bus.restore.apply')}
              </button>
            ) : null}
            <button type="button" className="button" onClick={onClose} data-testid="restore-cancel">
              {t('bus.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      {results ? (
        <div data-testid="restore-results">
          <ul className="bus-restore__diffs">
            {results.map((r) => (
              <li key={`${r.type}-${r.name}`} data-outcome={r.outcome}>
                <span className={r.outcome === 'ok' ? 'tag tag--ok' : 'tag tag--danger'}>
                  {t(outcomeKey(r.outcome))}
                </span>{' '}
                {r.name}: {r.message}
              </li>
            ))}
          </ul>
          <div className="toolbar bus-dialog__actions">
            <button type="button" className="button button--primary" onClick={onClose}>
              {t('bus.close')}
            </button>
          </div>
        </div>
      ) : null}
      {plan === null && !isBusy ? (
        <div className="toolbar bus-dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('bus.close')}
          </button>
        </div>
      ) : null}
    </Dialog>
  );
}
