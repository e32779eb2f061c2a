import { useEffect, useId, useState } from 'react';

import type { BackupPush } from '../../../shared/domain/backup';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { formatBytes } from '../../i18n/formatBytes';

/**
 * Copies the store's backups to a folder (a USB disk, a mounted NAS) or an SFTP server with a pinned host key: what
 * the target lacks is copied, checked, never overwriting anything there. The default target fills the field.
 */
export function ReplicaPanel() {
  const { t, language } = useI18n();
  const api = useApi();
  const [target, setTarget] = useState('');
  const [result, setResult] = useState<BackupPush | null>(null);
  const [isPushing, setPushing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();

  useEffect(() => {
    let isCurrent = true;
    api.call('backup.replicaSettings', {}).then(
      (settings) => {
        if (isCurrent && settings.target !== null) {
          setTarget((typed) => (typed === '' ? (settings.target ?? '') : typed));
        }
      },
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [api]);

  const push = async (): Promise<void> => {
    setPushing(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.call('backup.push', { target: target.trim() }));
    } catch (failure) {
      setError(failure);
    } finally {
      setPushing(false);
    }
  };

  return (
    <section className="panel replica" data-testid="replica-panel" aria-labelledby={titleId}>
      <div className="panel__head">
        <h2 className="section-title" id={titleId}>
          {t('backup.replica.title')}
        </h2>
      </div>
      <p className="muted">
        {t('backup.replica.intro')} {t('backup.replica.pinFirst')}{' '}
        <code translate="no">ohtw backups trust-target URL</code>
      </p>
      <div className="prune__fields">
        <TextField
          label={t('backup.replica.target')}
          value={target}
          onChange={setTarget}
          placeholder="/media/usb/oht50 · sftp://tech@nas/srv/oht50"
          testId="replica-target"
        />
        <button
          type="button"
          className="button"
          data-testid="replica-push"
          disabled={target.trim() === '' || isPushing}
          onClick={() => void push()}
        >
          {isPushing ? t('backup.replica.pushing') : t('backup.replica.push')}
        </button>
      </div>
      {error ? <ErrorNotice error={error} testId="replica-error" /> : null}
      {result ? (
        <div className="prune__preview" data-testid="replica-result">
          <p>
            {t('backup.replica.done', {
              pushed: result.pushed.length,
              already: result.alreadyThere,
              bytes: formatBytes(result.bytesCopied, language),
            })}
          </p>
          {[...result.skipped.map((s) => `${s.backupId}: ${s.reason}`), ...result.conflicts].map((line) => (
            <p key={line} className="muted" data-testid="replica-problem">
              {line}
            </p>
          ))}
        </div>
      ) : null}
    </section>
  );
}
