import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { FONT_SIZES, TerminalSession } from './terminalSession';
import '@xterm/xterm/css/xterm.css';
import './terminal.css';

const FONT_SIZE_KEY = 'ohtw.terminal.fontSize';

function storedFontSize(): number {
  try {
    const value = Number(window.localStorage.getItem(FONT_SIZE_KEY));
    return (FONT_SIZES as readonly number[]).includes(value) ? value : 14;
  } catch {
    return 14;
  }
}

type Tab = { key: number; session: TerminalSession };

/**
 * The Terminal tab: recorded shells on the unit, several at once, each in its own tab. A session ends on the vehicle
 * when its tab is closed, and when the unit page is left.
 */
export function TerminalTab({ unit }: { unit: string }) {
  const api = useApi();
  const { t } = useI18n();
  const [fontSize, setFontSize] = useState(storedFontSize);
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<number | null>(null);
  const [query, setQuery] = useState('');
  const [notFound, setNotFound] = useState(false);
  const counter = useRef(0);
  const open = useRef<Tab[]>([]);
  useEffect(() => {
    open.current = tabs;
  }, [tabs]);

  // Leaving the unit page ends every session it opened.
  useEffect(() => () => open.current.forEach((tab) => void tab.session.close()), []);

  const newSession = useCallback(() => {
    counter.current += 1;
    const tab = { key: counter.current, session: new TerminalSession(api, unit, fontSize) };
    setTabs((current) => [...current, tab]);
    setActive(tab.key);
  }, [api, unit, fontSize]);

  const closeTab = (key: number): void => {
    const tab = tabs.find((candidate) => candidate.key === key);
    void tab?.session.close();
    const rest = tabs.filter((candidate) => candidate.key !== key);
    setTabs(rest);
    setActive(rest.at(-1)?.key ?? null);
  };

  const current = tabs.find((tab) => tab.key === active)?.session;
  const changeFont = (size: number): void => {
    setFontSize(size);
    tabs.forEach((tab) => tab.session.setFontSize(size));
    try {
      window.localStorage.setItem(FONT_SIZE_KEY, String(size));
    } catch {
      // Not remembered across launches; this session still uses it.
    }
  };
  const find = (backwards: boolean): void =>
    setNotFound(current ? !current.find(query, backwards) && query !== '' : false);

  return (
    <section className="panel terminal" data-testid="terminal-tab">
      <p className="muted terminal__recorded">{t('terminal.recorded')}</p>
      <div className="terminal__bar">
        <div className="terminal__tabs" role="tablist" aria-label={t('terminal.sessions')}>
          {tabs.map((tab, index) => (
            <SessionTabButton
              key={tab.key}
              session={tab.session}
              label={t('terminal.tabLabel', { n: index + 1 })}
              isActive={tab.key === active}
              onSelect={() => setActive(tab.key)}
              onClose={() => closeTab(tab.key)}
            />
          ))}
          <button
            type="button"
            className="button button--small button--primary"
            onClick={newSession}
            data-testid="terminal-new"
          >
            {t('terminal.new')}
          </button>
        </div>
        <div className="terminal__tools">
          <label className="terminal__font">
            {t('terminal.fontSize')}
            <select
              value={fontSize}
              onChange={(event) => changeFont(Number(event.target.value))}
              data-testid="terminal-font-size"
            >
              {FONT_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </label>
          <input
            type="search"
            className={`terminal__search${notFound ? ' terminal__search--none' : ''}`}
            placeholder={t('terminal.search')}
            aria-label={t('terminal.search')}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                find(event.shiftKey);
              }
            }}
            data-testid="terminal-search"
          />
          <button type="button" className="button button--small" onClick={() => find(false)} disabled={!current}>
            {t('terminal.findNext')}
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => void current?.copy()}
            disabled={!current}
            data-testid="terminal-copy"
          >
            {t('terminal.copy')}
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => void current?.paste()}
            disabled={!current}
            data-testid="terminal-paste"
          >
            {t('terminal.paste')}
          </button>
        </div>
      </div>
      {tabs.length === 0 ? (
        <p className="empty" data-testid="terminal-empty">
          {t('terminal.none')}
        </p>
      ) : null}
      {tabs.map((tab) => (
        <TerminalScreen key={tab.key} session={tab.session} isActive={tab.key === active} />
      ))}
    </section>
  );
}

function useSnapshot(session: TerminalSession) {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

function SessionTabButton(props: {
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

function TerminalScreen({ session, isActive }: { session: TerminalSession; isActive: boolean }) {
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
