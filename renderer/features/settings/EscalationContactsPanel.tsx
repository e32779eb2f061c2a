import { useCallback, useEffect, useId, useState } from 'react';

import type { EscalationLevel, EscalationMatrix } from '../../../shared/domain/procedure';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { EscalationLevelFields, type ContactDraft } from './EscalationLevelFields';

type LevelDraft = { level: EscalationLevel; contacts: ContactDraft[] };

const toDrafts = (matrix: EscalationMatrix): LevelDraft[] =>
  matrix.levels.map((level) => ({
    level,
    contacts: level.contacts.map((c) => ({ name: c.name, phone: c.phone ?? '', email: c.email ?? '' })),
  }));

/** The levels to save: blank rows left out, every field trimmed, empty phone and email omitted. */
const toLevels = (drafts: readonly LevelDraft[]): EscalationLevel[] =>
  drafts.map(({ level, contacts }) => ({
    ...level,
    contacts: contacts
      .filter((c) => c.name.trim() || c.phone.trim() || c.email.trim())
      .map((c) => ({
        name: c.name.trim(),
        ...(c.phone.trim() ? { phone: c.phone.trim() } : {}),
        ...(c.email.trim() ? { email: c.email.trim() } : {}),
      })),
  }));

/**
 * The escalation matrix of the runbook (levels, response times, actions) with the people to call at each level.
 * The workstation ships no contacts: the team enters its own here, and every change is recorded in the audit log.
 */
export function EscalationContactsPanel() {
  const api = useApi();
  const { t, time } = useI18n();
  const [matrix, setMatrix] = useState<EscalationMatrix | null>(null);
  const [drafts, setDrafts] = useState<LevelDraft[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');
  const titleId = useId();

  const show = useCallback((loaded: EscalationMatrix) => {
    setMatrix(loaded);
    setDrafts(toDrafts(loaded));
  }, []);

  useEffect(() => {
    api.call('escalation.contacts.get', {}).then(show, setError);
  }, [api, show]);

  const edit = (index: number, change: (contacts: ContactDraft[]) => ContactDraft[]): void => {
    setStatus('idle');
    setDrafts((all) => all.map((draft, i) => (i === index ? { ...draft, contacts: change(draft.contacts) } : draft)));
  };

  const save = async (): Promise<void> => {
    setStatus('saving');
    setError(null);
    try {
      show(await api.call('escalation.contacts.set', { levels: toLevels(drafts) }));
      setStatus('saved');
    } catch (caught) {
      setError(caught);
      setStatus('idle');
    }
  };

  return (
    <section className="panel escalation" data-testid="escalation-contacts" aria-labelledby={titleId}>
      <h2 className="section-title" id={titleId}>
        {t('escalation.title')}
      </h2>
      <p>{t('escalation.intro')}</p>
      {matrix?.updatedAt ? (
        <p className="muted">
          {t('escalation.updated', { who: matrix.updatedBy ?? '?', time: time(matrix.updatedAt) })}
        </p>
      ) : null}
      {drafts.map(({ level, contacts }, index) => (
        <EscalationLevelFields
          key={level.level}
          level={level}
          contacts={contacts}
          onEdit={(change) => edit(index, change)}
        />
      ))}
      {error ? <ErrorNotice error={error} testId="escalation-error" /> : null}
      {status === 'saved' ? (
        <p className="notice notice--ok" role="status">
          {t('settings.saved')}
        </p>
      ) : null}
      {matrix ? (
        <button
          type="button"
          className="button button--primary"
          data-testid="escalation-save"
          disabled={status === 'saving'}
          onClick={() => void save()}
        >
          {t('escalation.save')}
        </button>
      ) : null}
    </section>
  );
}
