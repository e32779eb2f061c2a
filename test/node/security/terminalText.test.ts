import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { terminalBlock, terminalField } from '../../../shared/util/terminalText';
import { runCli } from '../../../electron/cli/main';
import { formatPlan } from '../../../electron/cli/commands/restore';
import { createCore } from '../../../electron/core/createCore';
import { defaultKeyFile } from '../../../electron/core/history/auditKey';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { captureIo } from '../../support/cli/captureIo';

const HOSTILE = 'oht50.db\u001b[31m RED\r\nforged row\u202egnp.exe';

describe('vehicle text on a terminal', () => {
  it('shows escape sequences, line breaks and bidirectional overrides as visible escapes', () => {
    expect(terminalField(HOSTILE)).toBe('oht50.db\\u001b[31m RED\\u000d\\u000aforged row\\u202egnp.exe');
    expect(terminalBlock('line 1\n\tline 2\u001b[2J\u009b')).toBe('line 1\n\tline 2\\u001b[2J\\u009b');
    // CRLF ends a line (CSV does so); a lone carriage return would overwrite the line, so it is shown.
    expect(terminalBlock('a,b\r\nc,d\rX')).toBe('a,b\r\nc,d\\u000dX');
    expect(terminalField('Trần Văn Minh · 42 °C')).toBe('Trần Văn Minh · 42 °C');
  });

  it('keeps a restore plan one line per file, whatever the file is called', () => {
    const text = formatPlan({
      unit: 'unit-7',
      backupId: 'b1',
      backupCreatedAt: '2026-11-28T08:00:00Z',
      replacement: false,
      changes: [{ path: `/opt/oht50/${HOSTILE}`, action: 'create', type: 'file', differs: [] }],
      counts: { create: 1, modify: 0, delete: 0, unchanged: 0 },
      bytesToSend: 10,
      services: [],
    } as unknown as Parameters<typeof formatPlan>[0]);
    expect(text.split('\n')).toHaveLength(4);
    expect([...text].filter((c) => '\u001b\r\u202e'.includes(c))).toEqual([]);
  });

  it('prints a history whose check messages came from a vehicle as one row each, escaped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ohtw-terminal-'));
    try {
      const core = await createCore({ dataDir: dir, face: 'cli', logger: silentLogger, env: {} });
      core.history.saveDiagnosis({
        runId: '00000000-0000-4000-8000-000000000001',
        unit: 'unit-7',
        level: 'ERROR',
        startedAt: '2026-11-28T08:00:00.000Z',
        durationMs: 10,
        checks: [{ id: 'logs.backend', level: 'ERROR', message: HOSTILE, evidence: '' }],
      });
      await core.close();
      const io = captureIo({});
      expect(await runCli(['history', 'unit-7', '--data-dir', dir], io)).toBe(0);
      const rows = io.stdout().trimEnd().split('\n');
      // The header, the sweep and its new finding: one row each, whatever the message holds.
      expect(rows).toHaveLength(3);
      expect([...io.stdout()].filter((c) => '\u001b\r\u202e'.includes(c))).toEqual([]);
      expect(rows.slice(1).every((row) => row.includes('oht50.db\\u001b[31m RED'))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(defaultKeyFile(dir), { force: true });
    }
  });
});
