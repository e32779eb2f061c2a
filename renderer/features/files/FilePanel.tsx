import { useCallback, useState } from 'react';

import type { RemoteEntry } from '../../../shared/domain/remoteFiles';
import type { CallOutput } from '../../../shared/ipc/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { saveFile } from '../../platform/saveFile';
import { formatBytes } from '../../i18n/formatBytes';
import { useCallResult } from '../../platform/useCallResult';
import { FileCompare } from './FileCompare';
import { FileContent } from './FileContent';
import { FileEditor } from './FileEditor';

export function modeText(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

type View = 'show' | 'edit' | 'compare';

/** One file of the unit: what it is, its text coloured, and download, edit and compare. */
/** `listed`: the file as its folder listed it (with its owner's and group's names where the vehicle said them). */
export function FilePanel({ unit, path, listed }: { unit: string; path: string; listed?: RemoteEntry | undefined }) {
  const api = useApi();
  const { t, language } = useI18n();
  const load = useCallback(() => api.call('files.read', { unit, path }), [api, unit, path]);
  const read = useCallResult(load);
  const [view, setView] = useState<View>('show');
  const [applied, setApplied] = useState<CallOutput<'files.applyEdit'> | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const file = read.value;

  const download = async (): Promise<void> => {
    setDownloadError(null);
    try {
      const got = await api.call('files.download', { unit, path });
      const bytes = Uint8Array.from(atob(got.contentBase64), (char) => char.charCodeAt(0));
      saveFile(new Blob([bytes], { type: 'application/octet-stream' }), got.fileName);
    } catch (error) {
      setDownloadError(error);
    }
  };

  return (
    <div className="file-panel" data-testid="file-panel" data-path={path}>
      <header className="file-panel__head">
        <h3 className="mono file-panel__path">{path}</h3>
        <div className="file-panel__actions">
          <button
            type="button"
            className="button button--small"
            onClick={() => void download()}
            data-testid="file-download"
          >
            {t('files.download')}
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={!file || file.text === null}
            onClick={() => {
              setApplied(null);
              setView('edit');
            }}
            data-testid="file-edit"
          >
            {t('files.edit')}
          </button>
          <button
            type="button"
            className="button button--small"
            aria-pressed={view === 'compare'}
            onClick={() => setView(view === 'compare' ? 'show' : 'compare')}
            data-testid="file-compare-open"
          >
            {t('files.compare')}
          </button>
        </div>
      </header>
      {read.error ? <ErrorNotice error={read.error} testId="file-error" onRetry={read.reload} /> : null}
      {downloadError ? <ErrorNotice error={downloadError} testId="file-download-error" /> : null}
      {file ? (
        <p className="file-panel__facts" data-testid="file-facts" data-mode={modeText(file.entry.mode)}>
          <span className="mono">{modeText(file.entry.mode)}</span>
          <span data-testid="file-owner">
            {listed?.owner ?? file.entry.owner}:{listed?.group ?? file.entry.group}
          </span>
          <span>{formatBytes(file.entry.size, language)}</span>
          <Time iso={new Date(file.entry.mtimeMs).toISOString()} />
          <span className="tag" data-testid="file-via">
            {file.via === 'sudo' ? t('files.via.sudo') : t('files.via.sftp')}
          </span>
          {file.services.length > 0 ? <span>{t('files.services', { services: file.services.join(', ') })}</span> : null}
        </p>
      ) : null}
      {applied ? (
        <p className="notice notice--ok notice--inline" data-testid="file-applied">
          {t('files.applied', { backup: applied.backupId.slice(0, 8) })}
        </p>
      ) : null}
      {file && view === 'edit' ? (
        <FileEditor
          unit={unit}
          file={file}
          onDone={(result) => {
            setApplied(result);
            setView('show');
            if (result) {
              read.reload();
            }
          }}
        />
      ) : null}
      {view === 'compare' ? <FileCompare unit={unit} path={path} /> : null}
      {file && view === 'show' ? (
        file.text === null ? (
          <p className="muted" data-testid="file-not-shown">
            {file.notShown === 'too-large' ? t('files.tooLarge') : t('files.binary')}
          </p>
        ) : (
          <FileContent path={path} text={file.text} />
        )
      ) : null}
    </div>
  );
}
