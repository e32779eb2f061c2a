import { useId, useState } from 'react';

import type { RestoreToFolderResult } from '../../../shared/domain/restore';
import { terminalField } from '../../../shared/util/terminalText';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { formatBytes } from '../../i18n/formatBytes';
import './partialAndCopy.css';

type State =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'done'; result: RestoreToFolderResult }
  | { status: 'failed'; error: unknown };

/**
 * "Save a copy of these files…": a backup's files written into a folder of this computer (restore.toFolder), so a
 * technician can read an old config without restoring anything onto the unit.
 */
export function SaveCopyForm({ backupId, onClose }: { backupId: string; onClose: () => void }) {
  const { t, language } = useI18n();
  const api = useApi();
  const [folder, setFolder] = useState('');
  const [state, setState] = useState<State>({ status: 'idle' });
  const inputId = useId();

  const save = async (): Promise<void> => {
    setState({ status: 'saving' });
    try {
      const dir = folder.trim();
      const result = await api.call('restore.toFolder', { backupId, ...(dir === '' ? {} : { dir }) });
      setState({ status: 'done', result });
    } catch (error) {
      setState({ status: 'failed', error });
    }
  };

  return (
    <form
      className="save-copy"
      data-testid={`save-copy-${backupId}`}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <p className="muted">{t('backup.saveCopy.intro')}</p>
      <div className="save-copy__row">
        <label htmlFor={inputId}>{t('backup.saveCopy.folder')}</label>
        <input
          id={inputId}
          type="text"
          value={folder}
          placeholder={t('backup.saveCopy.default', { id: backupId })}
          data-testid="save-copy-folder"
          onChange={(event) => setFolder(event.target.value)}
        />
        <button
          type="submit"
          className="button button--primary"
          disabled={state.status === 'saving'}
          data-testid="save-copy-save"
        >
          {state.status === 'saving' ? t('backup.saveCopy.saving') : t('backup.saveCopy.save')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('backup.saveCopy.cancel')}
        </button>
      </div>
      {state.status === 'done' ? (
        <p
          className={`notice ${state.result.problems.length > 0 ? 'notice--attention' : 'notice--ok'}`}
          role="status"
          data-testid="save-copy-result"
        >
          {t('backup.saveCopy.done', {
            files: state.result.files,
            dirs: state.result.dirs,
            links: state.result.links,
            bytes: formatBytes(state.result.bytes, language),
            dir: state.result.dir,
          })}
          {state.result.problems.length > 0
            ? ` ${t('backup.saveCopy.problems', { paths: state.result.problems.map((p) => terminalField(p.path)).join(', ') })}`
            : ''}
        </p>
      ) : null}
      {state.status === 'failed' ? <ErrorNotice error={state.error} testId="save-copy-error" /> : null}
    </form>
  );
}
