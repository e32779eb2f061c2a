import { describeChange } from '../../../shared/domain/jsonDiff';
import type { ModuleReading } from '../../../shared/ipc/contracts/rs485';
import { useI18n } from '../../i18n/I18nProvider';

/** A technician's map: what it changes from the shipped one, and the safety flags the workstation kept. */
export function MapNotes({ profile }: { profile: ModuleReading['profile'] }) {
  const { t } = useI18n();
  if (profile.source !== 'user' || (profile.supersedes === null && profile.keptFlags.length === 0)) {
    return null;
  }
  return (
    <details className="notice notice--attention" data-testid="module-map-notes">
      <summary>
        {profile.supersedes
          ? t('bus.module.mapChanges', { count: profile.supersedes.changes.length, file: profile.supersedes.file })
          : t('bus.module.mapUser')}
      </summary>
      {profile.keptFlags.length > 0 ? (
        <>
          <p>{t('bus.module.keptFlags')}</p>
          <ul className="mono" data-testid="module-kept-flags">
            {profile.keptFlags.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
      {profile.supersedes && profile.supersedes.changes.length > 0 ? (
        <ul className="mono" data-testid="module-map-changes">
          {profile.supersedes.changes.map((change) => (
            <li key={change.path}>{describeChange(change)}</li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
