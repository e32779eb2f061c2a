import { Fragment } from 'react';

/**
 * A dotted check id (rs485.offline.safety.temperature) that, in a narrow column, wraps after a dot and never inside
 * a word: each dot is followed by a line-break opportunity.
 */
export function CheckId({ id, className = 'check__id mono' }: { id: string; className?: string }) {
  const parts = id.split('.');
  return (
    <span className={className} translate="no">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? (
            <>
              .<wbr />
            </>
          ) : null}
        </Fragment>
      ))}
    </span>
  );
}
