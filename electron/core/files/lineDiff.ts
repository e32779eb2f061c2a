import { structuredPatch } from 'diff';

import type { FileDiff } from '../../../shared/domain/remoteFiles';

/** The line diff of two texts as `diff -u` hunks with three lines of context, and the lines added and removed. */
export function lineDiff(before: string, after: string): FileDiff {
  const patch = structuredPatch('before', 'after', before, after, '', '', { context: 3 });
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) {
        added += 1;
      } else if (line.startsWith('-')) {
        removed += 1;
      }
    }
  }
  return {
    hunks: patch.hunks.map((hunk) => ({
      oldStart: hunk.oldStart,
      oldLines: hunk.oldLines,
      newStart: hunk.newStart,
      newLines: hunk.newLines,
      lines: hunk.lines,
    })),
    added,
    removed,
  };
}
