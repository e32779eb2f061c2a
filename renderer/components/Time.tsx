import { useI18n } from '../i18n/I18nProvider';

/** A timestamp in the current language, keeping the exact ISO value as the machine-readable attribute. */
export function Time({ iso, testId }: { iso: string; testId?: string }) {
  const { time } = useI18n();
  return (
    <time dateTime={iso} title={iso} data-testid={testId}>
      {time(iso)}
    </time>
  );
}
