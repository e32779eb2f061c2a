import { useId, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { BackupsTable } from './BackupsTable';
import { RestoreDialog } from './RestoreDialog';
import { useBackups, type BackupSummary } from './useBackups';
import { useBus } from './busContext';
import { unitForCalls } from './busStore';

/** Every writable register of the modules kept in the fleet history; a restore shows its differences first. */
export function BackupsPanel({ busId }: { busId: string }) {
  const { t } = useI18n();
  const unit = useBus(unitForCalls);
  const { backups, error, isTaking, skipped, take } = useBackups(busId, unit);
  const [note, setNote] = useState('');
  const [restoring, setRestoring] = useState<BackupSummary | null>(null);
  const id = useId();

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
            void take(note).then((isTaken) => isTaken && setNote(''));
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
      {backups !== null && backups.length > 0 ? <BackupsTable backups={backups} onRestore={setRestoring} /> : null}
      {restoring ? (
        <RestoreDialog busId={busId} unit={unit} backup={restoring} onClose={() => setRestoring(null)} />
      ) : null}
    </section>
  );
}
