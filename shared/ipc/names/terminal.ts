/** The terminal's call and event names, schema-free (the preload bundles these). Keep in step with contracts/terminal.ts. */
export const TERMINAL_CALL_NAMES = [
  'terminal.open',
  'terminal.input',
  'terminal.resize',
  'terminal.sessions',
  'terminal.recording',
] as const;
export const TERMINAL_EVENT_NAMES = ['terminal.output'] as const;
