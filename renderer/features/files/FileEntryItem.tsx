import type { RemoteEntry } from '../../../shared/domain/remoteFiles';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../i18n/formatBytes';
import { modeText } from './FilePanel';

type Props = { entry: RemoteEntry; isOpen: boolean; onOpen: () => void };

/** One entry of a folder listing: its kind, name, mode, owner and size; a click opens it. */
export function FileEntryItem({ entry, isOpen, onOpen }: Props) {
  const { language } = useI18n();
  return (
    <li>
      <button
        type="button"
        className={`files__entry${isOpen ? ' files__entry--open' : ''}`}
        onClick={onOpen}
        data-testid="files-entry"
        data-name={entry.name}
        data-type={entry.type}
      >
        <span className="files__icon">{entry.type === 'dir' ? '▸' : entry.type === 'symlink' ? '↪' : '·'}</span>
        <span className="files__name">{entry.name}</span>
        <span className="files__meta mono">
          {modeText(entry.mode)} {entry.owner} {entry.type === 'file' ? formatBytes(entry.size, language) : ''}
        </span>
      </button>
    </li>
  );
}
