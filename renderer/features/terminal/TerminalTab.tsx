import { useCallback, useEffect, useRef, useState } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { SessionTabButton } from './SessionTabButton';
import { TerminalScreen } from './TerminalScreen';
import { TerminalTools } from './TerminalTools';
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
        <TerminalTools fontSize={fontSize} onFontSize={changeFont} current={current} />
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
