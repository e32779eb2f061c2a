import type { ModuleReading } from '../../../shared/ipc/contracts/rs485';
import { useI18n } from '../../i18n/I18nProvider';
import { moduleTypeKey } from './moduleText';
import type { WriteRequest } from './WriteDialog';

type Props = {
  titleId: string;
  slave: number;
  reading: ModuleReading | null;
  isPaused: boolean;
  onTogglePause: () => void;
  onReadNow: () => void;
  onRequest: (request: WriteRequest) => void;
};

/** The module's title and map, whether it reads live, and the entry points to a write or clearing its errors. */
export function ModuleHead({ titleId, slave, reading, isPaused, onTogglePause, onReadNow, onRequest }: Props) {
  const { t, time } = useI18n();
  return (
    <header className="panel__head">
      <h2 className="section-title" id={titleId}>
        {reading
          ? t('bus.module.title', { module: t(moduleTypeKey(reading.type)), address: slave })
          : t('bus.module.titleAddress', { address: slave })}
      </h2>
      {reading ? (
        <span className="muted" data-testid="module-profile">
          {t('bus.module.profile', {
            title: reading.profile.title,
            version: reading.profile.version,
            time: time(reading.readAt),
          })}
        </span>
      ) : null}
      {reading && reading.profile.source === 'user' ? (
        <span className="tag tag--attention" data-testid="module-profile-user">
          {reading.profile.supersedes
            ? t('bus.module.mapSupersedes', { version: reading.profile.supersedes.version })
            : t('bus.module.mapUser')}
        </span>
      ) : null}
      <span className="bus__spacer" />
      <span
        className={`tag ${isPaused ? 'tag--attention' : 'tag--ok'}`}
        data-testid="module-live"
        data-paused={isPaused}
      >
        {isPaused ? t('bus.module.paused') : t('bus.module.live')}
      </span>
      <button
        type="button"
        className="button button--small"
        aria-pressed={isPaused}
        onClick={onTogglePause}
        data-testid="module-pause"
      >
        {isPaused ? t('bus.module.resume') : t('bus.module.pause')}
      </button>
      {isPaused ? (
        <button type="button" className="button button--small" onClick={onReadNow} data-testid="module-read-now">
          {t('bus.module.readNow')}
        </button>
      ) : null}
      <button
        type="button"
        className="button button--small"
        disabled={reading === null}
        onClick={() => onRequest({ action: 'write', register: null })}
        data-testid="module-write"
      >
        {t('bus.module.write')}
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={reading === null}
        onClick={() => onRequest({ action: 'clearErrors', register: null })}
        data-testid="module-clear-errors"
      >
        {t('bus.module.clearErrors')}
      </button>
    </header>
  );
}
