import { useState } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { FONT_SIZES, type TerminalSession } from './terminalSession';

type Props = { fontSize: number; onFontSize: (size: number) => void; current: TerminalSession | undefined };

/** The font size for every session, and search, copy and paste in the one shown. */
export function TerminalTools({ fontSize, onFontSize, current }: Props) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [notFound, setNotFound] = useState(false);
  const find = (backwards: boolean): void =>
    setNotFound(current ? !current.find(query, backwards) && query !== '' : false);
  return (
    <div className="terminal__tools">
      <label className="terminal__font">
        {t('terminal.fontSize')}
        <select
          value={fontSize}
          onChange={(event) => onFontSize(Number(event.target.value))}
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
  );
}
