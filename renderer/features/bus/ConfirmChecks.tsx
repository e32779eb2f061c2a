import { useI18n } from '../../i18n/I18nProvider';

type Props = {
  /** The test ids' stem: `<stem>-confirm` and `<stem>-confirm-safety`. */
  testStem: string;
  label: string;
  isChecked: boolean;
  onChecked: (isChecked: boolean) => void;
  needsSafety: boolean;
  isSafetyChecked: boolean;
  onSafetyChecked: (isChecked: boolean) => void;
};

/** The explicit confirmation of a bus change, and a second one when a safety-critical register would change. */
export function ConfirmChecks({ testStem, label, isChecked, onChecked, needsSafety, ...safety }: Props) {
  const { t } = useI18n();
  return (
    <div className="bus-plan__confirm">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={isChecked}
          onChange={(event) => onChecked(event.target.checked)}
          data-testid={`${testStem}-confirm`}
        />
        {label}
      </label>
      {needsSafety ? (
        <label className="checkbox bus-plan__safety">
          <input
            type="checkbox"
            checked={safety.isSafetyChecked}
            onChange={(event) => safety.onSafetyChecked(event.target.checked)}
            data-testid={`${testStem}-confirm-safety`}
          />
          {t('bus.write.confirmSafety')}
        </label>
      ) : null}
    </div>
  );
}
