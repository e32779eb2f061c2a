import { describe, expect, it } from 'vitest';

import { buildApplyScript } from '../../../../electron/core/backup/restore/applyScript';
import { planTree } from '../../../../electron/core/backup/restore/plan';
import type { RestoreScope } from '../../../../electron/core/backup/restore/scope';
import type { TreeEntry } from '../../../../electron/core/backup/restore/tree';

const SCOPE: RestoreScope = {
  roots: ['/opt/oht50/config', '/etc/oht50', '/etc/systemd/system/oht50*.service'],
  excludes: [],
  services: [
    { path: '/opt/oht50/config', units: ['oht50-backend', 'oht50-firmware'] },
    { path: '/etc/oht50', units: ['oht50-firmware'] },
  ],
  reloadPaths: ['/etc/systemd/system/oht50*.service'],
};

const entry = (path: string, extra: Partial<TreeEntry> = {}): TreeEntry => ({
  path,
  type: 'file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  owner: 'root',
  group: 'root',
  size: 3,
  sha256: 'a'.repeat(64),
  ...extra,
});
const dir = (path: string, extra: Partial<TreeEntry> = {}): TreeEntry =>
  entry(path, { type: 'dir', size: 0, sha256: '', mode: 0o755, ...extra });

describe('planTree', () => {
  const target = [
    dir('/opt/oht50/config'),
    entry('/opt/oht50/config/system.yaml'),
    entry('/opt/oht50/config/same.yaml'),
    entry('/opt/oht50/config/mode.yaml', { mode: 0o600 }),
    entry('/opt/oht50/config/owner.yaml', { owner: 'oht', uid: 999 }),
    dir('/opt/oht50/config/new'),
    entry('/opt/oht50/config/new/file', { size: 10 }),
    entry('/opt/oht50/config/was-dir'),
  ];
  const current = [
    dir('/opt/oht50/config'),
    entry('/opt/oht50/config/system.yaml', { sha256: 'b'.repeat(64) }),
    entry('/opt/oht50/config/same.yaml'),
    entry('/opt/oht50/config/mode.yaml'),
    entry('/opt/oht50/config/owner.yaml'),
    dir('/opt/oht50/config/was-dir'),
    entry('/opt/oht50/config/was-dir/inner'),
    entry('/opt/oht50/config/added-since'),
    // Outside the scope: never planned, never deleted.
    entry('/opt/oht50/VERSION'),
    { ...entry('/opt/oht50/config/socket'), type: 'other' as const },
  ];
  const plan = planTree(SCOPE, target, current);

  it('names every path with its action, unchanged ones left out', () => {
    expect(plan.changes.map((c) => [c.path, c.action, c.differs.join(',')])).toEqual([
      ['/opt/oht50/config/added-since', 'delete', ''],
      ['/opt/oht50/config/mode.yaml', 'modify', 'mode'],
      ['/opt/oht50/config/new', 'create', ''],
      ['/opt/oht50/config/new/file', 'create', ''],
      ['/opt/oht50/config/owner.yaml', 'modify', 'owner'],
      ['/opt/oht50/config/system.yaml', 'modify', 'content'],
      ['/opt/oht50/config/was-dir', 'modify', 'type'],
      ['/opt/oht50/config/was-dir/inner', 'delete', ''],
    ]);
    expect(plan.counts).toEqual({ create: 2, modify: 4, delete: 2, unchanged: 2 });
    // A file whose mode or owner alone changed is sent again, so tar sets them on the file it makes (never chmod).
    expect(plan.bytesToSend).toBe(3 + 10 + 3 + 3 + 3);
    expect(plan.services).toEqual(['oht50-backend', 'oht50-firmware']);
    expect(plan.reload).toBe(false);
  });

  it('removes deepest first, makes directories before content, sends only changed content', () => {
    expect(plan.apply.removals.map((e) => e.path)).toEqual([
      '/opt/oht50/config/was-dir/inner',
      '/opt/oht50/config/was-dir',
      '/opt/oht50/config/added-since',
    ]);
    expect(plan.apply.mkdirs.map((e) => e.path)).toEqual(['/opt/oht50/config/new']);
    expect(plan.apply.files.map((e) => e.path)).toEqual([
      '/opt/oht50/config/mode.yaml',
      '/opt/oht50/config/new/file',
      '/opt/oht50/config/owner.yaml',
      '/opt/oht50/config/system.yaml',
      '/opt/oht50/config/was-dir',
    ]);
    expect(plan.apply.metadata).toEqual([]);
  });

  it('a tree equal to the backup plans nothing', () => {
    const same = planTree(SCOPE, target, target);
    expect(same.changes).toEqual([]);
    expect(same.services).toEqual([]);
  });

  it('a changed systemd unit asks for daemon-reload', () => {
    const unit = entry('/etc/systemd/system/oht50-backend.service');
    expect(planTree(SCOPE, [unit], []).reload).toBe(true);
  });

  it('the apply script quotes every path and writes each file beside its final name', () => {
    const odd = entry("/etc/oht50/it's $(reboot).yaml");
    const script = buildApplyScript(
      SCOPE,
      planTree(SCOPE, [dir('/etc/oht50'), odd], [dir('/etc/oht50')]).apply,
      'tx-1',
    );
    expect(script.files).toHaveLength(1);
    expect(script.files[0]?.temp).toMatch(/^\/etc\/oht50\/\.ohtw-tx1-0$/);
    expect(script.text).toContain(`mv -f -T -- /etc/oht50/.ohtw-tx1-0 '/etc/oht50/it'\\''s $(reboot).yaml'`);
  });
});

describe('owners', () => {
  const scope: RestoreScope = { roots: ['/etc/oht50'], excludes: [], services: [], reloadPaths: [] };
  const file = (extra: Partial<TreeEntry>): TreeEntry => ({
    path: '/etc/oht50/a',
    type: 'file',
    mode: 0o644,
    uid: 0,
    gid: 0,
    owner: 'root',
    group: 'root',
    size: 1,
    sha256: 'a'.repeat(64),
    ...extra,
  });

  it('an owner recorded as its number matches the named account with that number', () => {
    expect(planTree(scope, [file({ owner: '0', group: '0' })], [file({})]).changes).toEqual([]);
  });

  it('names win over numbers where both sides have them (a replacement board numbers accounts its own way)', () => {
    expect(planTree(scope, [file({ owner: 'oht', uid: 999 })], [file({ owner: 'oht', uid: 1001 })]).changes).toEqual(
      [],
    );
    expect(planTree(scope, [file({ owner: 'oht', uid: 0 })], [file({})]).changes[0]?.differs).toEqual(['owner']);
  });
});
