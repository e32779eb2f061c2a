import { useCallback, useEffect, useId, useState } from 'react';

import type { EscalationLevel, EscalationMatrix } from '../../../shared/domain/procedure';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { localized } from '../../i18n/localized';

type ContactDraft = { name: string; phone: string; email: string };
type LevelDraft = { level: EscalationLevel; contacts: ContactDraft[] };

/**
 * The escalation matrix of the runbook (levels, response times, actions) with the people to call at each level.
 * The workstation ships no contacts: the team enters its own here, and every change is recorded in the audit log.
 */
export function EscalationContactsPanel() {
  const api = useApi();
  const { t, time, language } = useI18n();
  const [matrix, setMatrix] = useState<EscalationMatrix | null>(null);
  const [drafts, setDrafts] = useState<LevelDraft[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');
  const titleId = useId();

  const show = useCallback((loaded: EscalationMatrix) => {
    setMatrix(loaded);
    setDrafts(
      loaded.levels.map((level) => ({
        level,
        contacts: level.contacts.map((c) => ({ name: c.name, phone: c.phone ?? '', email: c.email ?? '' })),
      })),
    );
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
      const levels = drafts.map(({ level, contacts }) => ({
        ...level,
        contacts: contacts
          .filter((c) => c.name.trim() || c.phone.trim() || c.email.trim())
          .map((c) => ({
            name: c.name.trim(),
            ...(c.phone.trim() ? { phone: c.phone.trim() } : {}),
            ...(c.email.trim() ? { email: c.email.trim() } : {}),
          })),
      }));
      show(await api.call('escalation.contacts.set', { levels }));
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
        <fieldset key={level.level} className="escalation__level" data-testid={`escalation-level-${level.level}`}>
          <legend>
            {t('run.level', { level: level.level })} · {localized(level.role, language)} ·{' '}
            {t('escalation.response', { minutes: level.responseMinutes })}
          </legend>
          <p className="muted">{localized(level.actions, language)}</p>
          {contacts.length === 0 ? <p className="muted">{t('escalation.noContacts')}</p> : null}
          {contacts.map((contact, row) => (
            <div key={row} className="escalation__contact">
              {(['name', 'phone', 'email'] as const).map((field) => (
                <input
                  key={field}
                  value={contact[field]}
                  placeholder={t(`escalation.${field}`)}
                  aria-label={t(`escalation.${field}`)}
                  data-testid={`contact-${level.level}-${row}-${field}`}
                  onChange={(event) =>
                    edit(index, (all) => all.map((c, i) => (i === row ? { ...c, [field]: event.target.value } : c)))
                  }
                />
              ))}
              <button
                type="button"
                className="button button--small button--quiet"
                onClick={() => edit(index, (all) => all.filter((_, i) => i !== row))}
              >
                {t('escalation.remove')}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button button--small"
            data-testid={`contact-add-${level.level}`}
            onClick={() => edit(index, (all) => [...all, { name: '', phone: '', email: '' }])}
          >
            {t('escalation.add')}
          </button>
        </fieldset>
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
