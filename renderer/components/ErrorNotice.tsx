import { describeError } from '../i18n/describeError';
import { useI18n } from '../i18n/I18nProvider';

type Props = {
  error: unknown;
  testId: string;
  onRetry?: (() => void) | undefined;
};

/** A failure in the technician's language first, then the core's own words for whoever escalates it. */
export function ErrorNotice({ error, testId, onRetry }: Props) {
  const { t } = useI18n();
  const view = describeError(error);
  return (
    <div className="notice notice--error" role="alert" data-testid={testId}>
      <p className="notice__title">{t(view.key)}</p>
      {view.detail ? <p className="notice__detail">{view.detail}</p> : null}
      {view.issues.length > 0 ? (
        <ul className="notice__issues">
          {view.issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
