import type { EscalationLevel } from '../../../shared/domain/procedure';
import { useI18n } from '../../i18n/I18nProvider';
import { localized } from '../../i18n/localized';

export type ContactDraft = { name: string; phone: string; email: string };

type Props = {
  level: EscalationLevel;
  contacts: ContactDraft[];
  onEdit: (change: (contacts: ContactDraft[]) => ContactDraft[]) => void;
};

/** One escalation level (its role, response time and actions) and the people to call at it, as edited so far. */
export function EscalationLevelFields({ level, contacts, onEdit }: Props) {
  const { t, language } = useI18n();
  return (
    <fieldset className="escalation__level" data-testid={`escalation-level-${level.level}`}>
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
                onEdit((all) => all.map((c, i) => (i === row ? { ...c, [field]: event.target.value } : c)))
              }
            />
          ))}
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={() => onEdit((all) => all.filter((_, i) => i !== row))}
          >
            {t('escalation.remove')}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button--small"
        data-testid={`contact-add-${level.level}`}
        onClick={() => onEdit((all) => [...all, { name: '', phone: '', email: '' }])}
      >
        {t('escalation.add')}
      </button>
    </fieldset>
  );
}
