import type { Template } from '../said';

/** The one line a diagnosis leaves in the unit's history (its timeline's tooltip, the history list). */
export const HISTORY_WORDS = {
  'history.noChecks': { en: '{level}: no checks', vi: '{level}: không có mục kiểm tra nào' },
  'history.allPassed': {
    en: 'OK: {count#check|checks} passed',
    vi: 'OK: {count} mục kiểm tra đều đạt',
  },
  'history.worst': { en: '{check}: {level} — {message}{more}', vi: '{check}: {level} — {message}{more}' },
  'history.more': { en: ' (+{count} more)', vi: ' (+{count} mục khác)' },
} as const satisfies Record<string, Template>;
