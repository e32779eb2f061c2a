type Props = {
  /** 0…1, or null when how far is unknown (the bar then moves without a value). */
  fraction: number | null;
  tone: 'running' | 'ok' | 'failed';
  /** What the bar measures, for screen readers. */
  label: string;
  testId?: string | undefined;
};

/** A progress bar that says what it is: role progressbar with its value, a coloured fill for the outcome. */
export function ProgressBar({ fraction, tone, label, testId }: Props) {
  const percent = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div
      className={`bar bar--${tone}${percent === null ? ' bar--indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      data-testid={testId}
      data-tone={tone}
    >
      <div className="bar__fill" style={{ width: percent === null ? undefined : `${percent}%` }} />
    </div>
  );
}
