import type { CheckResult } from '../../shared/domain/health';
import type { Said } from '../../shared/domain/said';
import { checkMessageParts, sayPartsIn } from '../../shared/domain/words';
import { useI18n } from '../i18n/I18nProvider';

type Props =
  | { said: Said; fallback?: string | undefined; className?: string; testId?: string }
  | { check: Pick<CheckResult, 'message' | 'say'>; className?: string; testId?: string };

/**
 * What the core said, in the reader's language. Text the vehicle printed (a journal line, an answer) is shown as it
 * came, marked as not to be translated.
 */
export function SaidText(props: Props) {
  const { language } = useI18n();
  const parts =
    'said' in props ? sayPartsIn(props.said, language, props.fallback) : checkMessageParts(props.check, language);
  return (
    <span className={props.className} data-testid={props.testId}>
      {parts.map((part, i) =>
        part.raw ? (
          <span key={i} className="said__raw" translate="no">
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </span>
  );
}
