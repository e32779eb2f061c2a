import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { useTeam } from './TeamProvider';
import './team.css';

/** In the header when this laptop is in a team: what waits to be pushed, the last sync, and Sync now. */
export function SyncIndicator() {
  const { t } = useI18n();
  const status = useTeam((state) => state.status);
  const sync = useTeam((state) => state.actions.sync);
  if (!status?.joined) {
    return null;
  }
  const last = status.lastSync;
  return (
    <span className="team-sync" data-testid="team-sync" title={status.url ?? ''}>
      <span className="team-sync__text">{t('team.indicator', { laptop: status.deviceLabel ?? '' })}</span>{' '}
      <span className="muted team-sync__text" data-testid="team-sync-state">
        {status.syncing ? (
          t('team.syncing')
        ) : last === null ? (
          t('team.never')
        ) : last.ok ? (
          <>
            {t('team.lastSync')} <Time iso={last.at} />
          </>
        ) : (
          t('team.lastSyncFailed', { error: last.error ?? '' })
        )}
        {status.pending > 0 ? ` · ${t('team.pending', { count: String(status.pending) })}` : ''}
      </span>{' '}
      {status.conflicts.length > 0 ? (
        // A conflict (a board replaced or spoofed) stays in sight at any width.
        <span className="team-sync__text team-fleet__conflict" data-testid="team-sync-conflicts">
          {t('team.conflicts', { count: String(status.conflicts.length) })}
        </span>
      ) : null}{' '}
      <button
        type="button"
        className="button"
        data-testid="team-sync-now"
        disabled={status.syncing}
        onClick={() => void sync()}
      >
        {t('team.syncNow')}
      </button>
    </span>
  );
}
