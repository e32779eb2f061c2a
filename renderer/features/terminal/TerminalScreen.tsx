import { useEffect, useRef } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { routeHref } from '../../platform/routes';
import type { TerminalSession } from './terminalSession';
import { useSnapshot } from './useSnapshot';

/** One session's screen, opened on first show; how it ended, with a way to replay its recording. */
export function TerminalScreen({ session, isActive }: { session: TerminalSession; isActive: boolean }) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const started = useRef(false);
  const snapshot = useSnapshot(session);
  useEffect(() => {
    if (element.current && !started.current) {
      started.current = true;
      void session.open(element.current);
    }
  }, [session]);
  useEffect(() => {
    if (isActive) {
      session.refit();
      session.term.focus();
    }
  }, [isActive, session]);
  return (
    <div className="terminal__session" hidden={!isActive} data-testid="terminal-session" data-status={snapshot.status}>
      {snapshot.status === 'failed' ? <ErrorNotice error={snapshot.reason} testId="terminal-error" /> : null}
      {snapshot.status === 'ended' ? (
        <p className="notice notice--attention notice--inline" data-testid="terminal-ended">
          <span>{t('terminal.ended', { reason: String(snapshot.reason) })}</span>
          {snapshot.opened ? (
            <a
              className="button button--small"
              href={routeHref({ page: 'session', name: session.unit, sessionId: snapshot.opened.sessionId })}
              data-testid="terminal-replay"
            >
              {t('terminal.replay')}
            </a>
          ) : null}
        </p>
      ) : null}
      <div
        className="terminal__screen"
        ref={element}
        data-testid="terminal-screen"
        data-session-id={snapshot.opened?.sessionId ?? ''}
      />
    </div>
  );
}
