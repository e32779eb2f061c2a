import type { HealthLevel } from '../../shared/domain/health';
import { useI18n } from '../i18n/I18nProvider';
import './levelChip.css';

type Props = {
  level: HealthLevel | null;
  testId?: string;
  isLarge?: boolean;
};

/** A level as text on a coloured chip: the text carries the meaning, the colour only speeds up reading. */
export function LevelChip({ level, testId, isLarge = false }: Props) {
  const { t } = useI18n();
  const modifier = level ? level.toLowerCase() : 'never';
  return (
    <span
      className={`chip chip--${modifier}${isLarge ? ' chip--large' : ''}`}
      data-testid={testId}
      data-level={level ?? 'NONE'}
    >
      {level ?? t('level.never')}
    </span>
  );
}
