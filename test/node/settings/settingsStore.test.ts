import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { createCore, type Core } from '../../../electron/core/createCore';
import { silentLogger } from '../../../electron/core/ports/Logger';

describe('alert thresholds in settings', () => {
  let dir: string;
  let core: Core;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-settings-'));
    core = await createCore({ dataDir: dir, face: 'cli', logger: silentLogger, actor: 'tech-a' });
  });
  afterEach(async () => {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('start from the runbook table', async () => {
    const reply = await core.dispatch('settings.get', {});
    expect(reply).toEqual({ ok: true, value: { thresholds: DEFAULT_THRESHOLDS } });
    expect(DEFAULT_THRESHOLDS).toMatchObject({
      cpuPercent: { warning: 80, critical: 95 },
      memoryPercent: { warning: 85, critical: 95 },
      diskPercent: { warning: 80, critical: 90 },
      responseTimeMs: { warning: 500, critical: 1000 },
      errorRatePercent: { warning: 5, critical: 10 },
    });
  });

  it('are saved, survive a restart and are audited with the old and new values', async () => {
    const changed = { ...DEFAULT_THRESHOLDS, diskPercent: { warning: 70, critical: 85 } };
    expect(await core.dispatch('settings.setThresholds', { thresholds: changed })).toMatchObject({ ok: true });
    await core.close();
    core = await createCore({ dataDir: dir, face: 'cli', logger: silentLogger });
    expect(await core.dispatch('settings.get', {})).toEqual({ ok: true, value: { thresholds: changed } });
    const [entry] = core.history.listAudit({ limit: 1 });
    expect(entry).toMatchObject({ actor: 'tech-a', action: 'settings.thresholds', outcome: 'ok' });
    expect(entry?.details).toMatchObject({
      before: { diskPercent: { warning: 80 } },
      after: { diskPercent: { warning: 70 } },
    });
    expect(core.history.verifyAudit().ok).toBe(true);
  });

  it('refuse a warning above its critical limit, and keep what was there', async () => {
    const bad = { ...DEFAULT_THRESHOLDS, cpuPercent: { warning: 99, critical: 90 } };
    const reply = await core.dispatch('settings.setThresholds', { thresholds: bad });
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(JSON.stringify(reply)).toContain('warning must not be above critical');
    expect(await core.dispatch('settings.get', {})).toEqual({ ok: true, value: { thresholds: DEFAULT_THRESHOLDS } });
  });
});
