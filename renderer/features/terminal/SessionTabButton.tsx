import { useI18n } from '../../i18n/I18nProvider';
import type { TerminalSession } from './terminalSession';
import { useSnapshot } from './useSnapshot';

/** One session's tab: select it, or close it (which ends the shell on the vehicle). */
export function SessionTabButton(props: {
  session: TerminalSession;
  label: string;
  isActive: boolean;
  onSelect: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { status } = useSnapshot(props.session);
  return (
    <span className={`terminal__tab${props.isActive ? ' terminal__tab--active' : ''}`} data-status={status}>
      <button
        type="button"
        role="tab"
        aria-selected={props.isActive}
        className="terminal__tab-label"
        onClick={props.onSelect}
        data-testid="terminal-tab-button"
      >
        {props.label}
        {status === 'ended' || status === 'failed' ? ` (${t(`terminal.status.${status}`)})` : ''}
      </button>
      <button
        type="button"
        className="terminal__tab-close"
        aria-label={t('terminal.close', { label: props.label })}
        onClick={props.onClose}
        data-testid="terminal-tab-close"
      >
        ×
      </button>
    </span>
  );
}
