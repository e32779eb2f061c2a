import { useCallback, useState } from 'react';

import type { RemoteEntry } from '../../../shared/domain/remoteFiles';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useCallResult } from '../../platform/useCallResult';
import { FileEntryItem } from './FileEntryItem';
import { FilePanel } from './FilePanel';
import './files.css';

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/')) || '/';

/** The folder and the file picked; a link to another file (from the logbook) opens it here. */
function usePickedFile(path: string | null) {
  const [picked, setDir] = useState<string | null>(path === null ? null : parentOf(path));
  const [file, setFile] = useState<string | null>(path);
  const [openedPath, setOpenedPath] = useState(path);
  if (path !== openedPath) {
    setOpenedPath(path);
    if (path !== null) {
      setDir(parentOf(path));
      setFile(path);
    }
  }
  return { picked, setDir, file, setFile };
}

/** The Files tab: the unit's folders on the left, the file picked on the right. `path` opens a file. */
export function FilesTab({ unit, path }: { unit: string; path: string | null }) {
  const api = useApi();
  const { t } = useI18n();
  const loadRoots = useCallback(() => api.call('files.roots', { unit }), [api, unit]);
  const roots = useCallResult(loadRoots);
  const { picked, setDir, file, setFile } = usePickedFile(path);
  const rootList = roots.value?.roots ?? [];
  const dir = picked ?? rootList[0] ?? null;
  const root = rootList.find((candidate) => dir !== null && (dir === candidate || dir.startsWith(`${candidate}/`)));

  const loadList = useCallback(
    () => (dir === null ? Promise.resolve(null) : api.call('files.list', { unit, path: dir })),
    [api, unit, dir],
  );
  const listing = useCallResult(loadList);
  const open = (entry: RemoteEntry): void => {
    if (entry.type === 'dir') {
      setDir(entry.path);
    } else {
      setFile(entry.path);
    }
  };

  return (
    <section className="panel files" data-testid="files-tab">
      <div className="files__browser">
        <label className="logs__field">
          {t('files.root')}
          <select value={root ?? ''} onChange={(event) => setDir(event.target.value)} data-testid="files-root">
            {rootList.map((candidate) => (
              <option key={candidate} value={candidate}>
                {candidate}
              </option>
            ))}
          </select>
        </label>
        <p className="files__dir mono" data-testid="files-dir">
          {dir}
          {listing.value ? (
            <span className="tag">{listing.value.via === 'sudo' ? t('files.via.sudo') : t('files.via.sftp')}</span>
          ) : null}
        </p>
        {roots.error ? <ErrorNotice error={roots.error} testId="files-roots-error" onRetry={roots.reload} /> : null}
        {listing.error ? (
          <ErrorNotice error={listing.error} testId="files-list-error" onRetry={listing.reload} />
        ) : null}
        <ul className="files__list" data-testid="files-list">
          {dir !== null && root !== undefined && dir !== root ? (
            <li>
              <button
                type="button"
                className="files__entry"
                onClick={() => setDir(parentOf(dir))}
                data-testid="files-up"
              >
                <span className="files__icon">↰</span> ..
              </button>
            </li>
          ) : null}
          {(listing.value?.entries ?? [])
            .slice()
            .sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name))
            .map((entry) => (
              <FileEntryItem key={entry.path} entry={entry} isOpen={entry.path === file} onOpen={() => open(entry)} />
            ))}
        </ul>
      </div>
      <div className="files__file">
        {file === null ? (
          <p className="empty">{t('files.pick')}</p>
        ) : (
          <FilePanel
            key={file}
            unit={unit}
            path={file}
            listed={listing.value?.entries.find((entry) => entry.path === file)}
          />
        )}
      </div>
    </section>
  );
}
