import { useMemo } from 'react';

import type { FileDiff } from '../../../shared/domain/remoteFiles';
import { useI18n } from '../../i18n/I18nProvider';
import { languageOf, tokenizeLine } from './highlight';

/** A text file with line numbers and syntax colouring by its kind. */
export function FileContent({ path, text }: { path: string; text: string }) {
  const language = languageOf(path);
  const lines = useMemo(() => text.replace(/\n$/, '').split('\n'), [text]);
  return (
    <ol className="file-content" data-testid="file-content" data-language={language}>
      {lines.map((line, index) => (
        <li key={index}>
          {tokenizeLine(line, language).map((token, i) => (
            <span key={i} className={`tok tok--${token.kind}`}>
              {token.text}
            </span>
          ))}
        </li>
      ))}
    </ol>
  );
}

/** A line diff as `diff -u` hunks: removed lines red, added green, context plain. */
export function DiffView({ diff, testId }: { diff: FileDiff; testId: string }) {
  const { t } = useI18n();
  if (diff.hunks.length === 0) {
    return (
      <p className="muted" data-testid={testId}>
        {t('files.diff.none')}
      </p>
    );
  }
  return (
    <div className="diff" data-testid={testId} data-added={diff.added} data-removed={diff.removed}>
      <p className="diff__summary">{t('files.diff.summary', { added: diff.added, removed: diff.removed })}</p>
      {diff.hunks.map((hunk, index) => (
        <pre key={index} className="diff__hunk">
          <span className="diff__head">
            @@ -{hunk.oldStart},{hunk.oldLines} +{hunk.newStart},{hunk.newLines} @@
          </span>
          {hunk.lines.map((line, i) => (
            <span
              key={i}
              className={`diff__line${line.startsWith('+') ? ' diff__line--added' : line.startsWith('-') ? ' diff__line--removed' : ''}`}
            >
              {line}
            </span>
          ))}
        </pre>
      ))}
    </div>
  );
}
