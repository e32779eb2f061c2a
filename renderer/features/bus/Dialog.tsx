import { useEffect, useId, useRef, type ReactNode } from 'react';

type Props = {
  title: string;
  testId: string;
  /** Escape and the close button both end up here; the dialog never closes itself behind the caller's back. */
  onClose: () => void;
  isDanger?: boolean;
  children: ReactNode;
};

/**
 * A modal dialog on the browser's own <dialog>: focus moves into it and stays there, Escape cancels, and the page
 * behind cannot be clicked while it is open. Mounted means open.
 */
export function Dialog({ title, testId, onClose, isDanger = false, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`bus-dialog${isDanger ? ' bus-dialog--danger' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 className="bus-dialog__title" id={titleId}>
        {title}
      </h2>
      {children}
    </dialog>
  );
}
