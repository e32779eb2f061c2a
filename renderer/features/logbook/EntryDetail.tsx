import { useCallback } from 'react';

import type { LogbookEntry } from '../../../shared/domain/logbook';
import { describeEntry, entryLinks, kindLabel } from '../../../shared/domain/logbookKinds';
import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { actorText } from '../../i18n/actor';
import { useApi } from '../../platform/ApiProvider';
import { useCallResult } from '../../platform/useCallResult';
import { linkRoute } from './links';

/** One entry opened: its words, what its source row says, and the run, report, backup or unit it leads to. */
export function EntryDetail({ entry, onClose }: { entry: LogbookEntry; onClose: () => void }) {
  const { t, language } = useI18n();
  const api = useApi();
  const load = useCallback(() => api.call('logbook.get', { id: entry.id }), [api, entry.id]);
  const detail = useCallResult(load);
  return (
    <aside className="panel logbook__detail" data-testid="logbook-detail" data-id={entry.id}>
      <header className="panel__head">
        <h2 className="section-title">{t('logbook.detail.title')}</h2>
        <button type="button" className="button" onClick={onClose} data-testid="logbook-detail-close">
          {t('logbook.detail.close')}
        </button>
      </header>
      <p className="logbook__detail-words">
        {entry.level ? <LevelChip level={entry.level} /> : null} {describeEntry(entry, language)}
      </p>
      <p className="muted">
        <Time iso={entry.at} /> · {entry.unit ?? t('logbook.fleetWide')} · {kindLabel(entry.kind, language)}
        {entry.actor ? ` · ${t('logbook.by', { actor: actorText(entry.actor, t) })}` : ''}
      </p>
      <div className="toolbar">
        {entryLinks(entry).map((link) => {
          const { route, label } = linkRoute(link);
          return (
            <a key={label} className="button" href={routeHref(route)} data-testid={`logbook-open-${link.target}`}>
              {t(label)}
            </a>
          );
        })}
      </div>
      {detail.error ? <ErrorNotice error={detail.error} testId="logbook-detail-error" /> : null}
      <dl className="logbook__lines">
        {(detail.value?.lines ?? []).map((line, i) => (
          <div key={`${line.label}-${i}`}>
            <dt>{line.label}</dt>
            <dd>
              <pre>{line.text}</pre>
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
