import { describe, expect, it } from 'vitest';

import { formatLine } from '../../../electron/cli/commands/logs';

describe('a journal line printed by ohtw logs', () => {
  it("shows the vehicle's escape sequences and line breaks escaped, so a logged line cannot drive the terminal", () => {
    const printed = formatLine({
      atMs: Date.UTC(2026, 11, 7, 10, 0, 0),
      priority: 3,
      unit: 'oht50-firmware.service',
      identifier: 'oht50\u001b]0;owned\u0007',
      pid: 812,
      message: 'E-Stop \u001b[2J\u001b[31mlatched\r\nforged line\u202e',
    });
    // eslint-disable-next-line no-control-regex -- finding control characters is what this checks
    expect(printed).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
    expect(printed).toContain('err');
    expect(printed).toContain('oht50\\u001b]0;owned\\u0007[812]: ');
    expect(printed).toContain('E-Stop \\u001b[2J\\u001b[31mlatched\\u000d\\u000aforged line\\u202e');
  });
});
