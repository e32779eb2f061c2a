import { useId } from 'react';

type Props = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  hint?: string | undefined;
  isInvalid?: boolean;
  isRequired?: boolean;
  type?: 'text' | 'number';
  placeholder?: string | undefined;
  min?: number;
  max?: number;
};

/** A labelled input with an optional hint; the hint doubles as its accessible description. */
export function TextField({
  label,
  value,
  onChange,
  testId,
  hint,
  isInvalid = false,
  isRequired = false,
  type = 'text',
  placeholder,
  min,
  max,
}: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={`field${isInvalid ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
        aria-invalid={isInvalid}
        aria-describedby={hint ? hintId : undefined}
        required={isRequired}
        placeholder={placeholder}
        min={min}
        max={max}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
      />
      {hint ? (
        <span className="field__hint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}
