import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { EscalationMatrix } from '../../../../shared/domain/procedure';
import { createCore, type Core } from '../../../../electron/core/createCore';
import { silentLogger } from '../../../../electron/core/ports/Logger';

describe('escalation contacts in settings', () => {
  let dir: string;
  let core: Core;
  const get = async (): Promise<EscalationMatrix> => {
    const reply = await core.dispatch('escalation.contacts.get', {});
    if (!reply.ok) {
      throw new Error(reply.error.message);
    }
    return reply.value as EscalationMatrix;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-contacts-'));
    core = await createCore({ dataDir: dir, face: 'cli', logger: silentLogger, actor: 'lead-b' });
  });
  afterEach(async () => {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('start as the runbook matrix with nobody to call: no contact ships with the workstation', async () => {
    const matrix = await get();
    expect(matrix.updatedAt).toBeNull();
    expect(matrix.levels.map((l) => [l.level, l.role.en, l.responseMinutes])).toEqual([
      [1, 'On-call engineer', 15],
      [2, 'Senior engineer', 30],
      [3, 'System architect', 60],
      [4, 'CTO', 120],
    ]);
    expect(matrix.levels.every((l) => l.contacts.length === 0)).toBe(true);
    expect(JSON.stringify(matrix)).not.toMatch(/@/);
  });

  it('are saved, survive a restart, and every change is audited with before and after', async () => {
    const levels = (await get()).levels.map((l) =>
      l.level === 1
        ? { ...l, contacts: [{ name: 'Trần Văn Minh', phone: '+84 90 123 4567' }] }
        : l.level === 4
          ? { ...l, contacts: [{ name: 'Security desk', email: 'security@example.com' }] }
          : l,
    );
    const set = await core.dispatch('escalation.contacts.set', { levels });
    expect(set).toMatchObject({ ok: true, value: { updatedBy: 'lead-b' } });
    await core.close();
    core = await createCore({ dataDir: dir, face: 'cli', logger: silentLogger });
    const matrix = await get();
    expect(matrix.levels[0]?.contacts).toEqual([{ name: 'Trần Văn Minh', phone: '+84 90 123 4567' }]);
    expect(matrix.levels[3]?.contacts).toEqual([{ name: 'Security desk', email: 'security@example.com' }]);
    expect(matrix.updatedBy).toBe('lead-b');
    const [entry] = core.history.listAudit({ limit: 1 });
    expect(entry).toMatchObject({ actor: 'lead-b', action: 'settings.escalationContacts', outcome: 'ok' });
    expect(JSON.stringify(entry?.details)).toContain('Trần Văn Minh');
    expect(core.history.verifyAudit().ok).toBe(true);
  });

  it('refuse a contact nobody can reach, a level missing, and keep what was there', async () => {
    const levels = (await get()).levels;
    const unreachable = levels.map((l) => (l.level === 2 ? { ...l, contacts: [{ name: 'Nobody' }] } : l));
    const reply = await core.dispatch('escalation.contacts.set', { levels: unreachable });
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(JSON.stringify(reply)).toContain('a contact needs a phone number or an e-mail address');
    const three = await core.dispatch('escalation.contacts.set', { levels: levels.slice(0, 3) });
    expect(three).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((await get()).updatedAt).toBeNull();
  });
});
