import { useMemo } from 'react';

import type { LogLine } from '../../../shared/domain/unitLogs';
import { useLogs } from './logsContext';

/** The lines that match the filter text, and in a window the one to bring into view. */
export function useShownLines(filterText: string): { shown: readonly LogLine[]; focus: number | null } {
  const lines = useLogs((s) => s.lines);
  const mode = useLogs((s) => s.mode);
  const at = useLogs((s) => s.at);
  const shown = useMemo(
    () => (filterText === '' ? lines : lines.filter((line) => line.message.toLowerCase().includes(filterText))),
    [lines, filterText],
  );
  const focus = useMemo(() => {
    if (mode !== 'window' || at === null) {
      return null;
    }
    // The last line at or before the moment: what the vehicle had said when the check saw the failure.
    const atMs = Date.parse(at);
    const after = shown.findIndex((line) => line.atMs > atMs);
    const index = after < 0 ? shown.length - 1 : Math.max(0, after - 1);
    return shown.length === 0 ? null : index;
  }, [mode, at, shown]);
  return { shown, focus };
}
