import { describe, expect, it } from 'vitest';

import { isAppError } from '../../../../shared/errors/AppError';
import { assertSafeManifest } from '../../../../electron/core/backup/restore/pathSafety';
import { inScope, scopeFromProfile, type RestoreScope } from '../../../../electron/core/backup/restore/scope';
import type { TreeEntry } from '../../../../electron/core/backup/restore/tree';

const SCOPE: RestoreScope = {
  roots: ['/opt/oht50/config', '/etc/oht50', '/etc/systemd/system/oht50*.service'],
  excludes: ['/opt/oht50/config/cache'],
  services: [],
  reloadPaths: [],
};

const HASH = 'a'.repeat(64);
const file = (path: string, extra: Partial<TreeEntry> = {}): TreeEntry => ({
  path,
  type: 'file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  owner: 'root',
  group: 'root',
  size: 3,
  sha256: HASH,
  ...extra,
});
const dir = (path: string): TreeEntry => ({ ...file(path), type: 'dir', size: 0, sha256: '', mode: 0o755 });
const link = (path: string, linkTarget: string): TreeEntry => ({
  ...file(path),
  type: 'symlink',
  size: 0,
  sha256: '',
  linkTarget,
});

function refusal(entries: TreeEntry[], scope = SCOPE): { code: string; path: unknown } {
  try {
    assertSafeManifest(scope, entries);
  } catch (error) {
    if (isAppError(error)) {
      return { code: error.code, path: error.details?.path };
    }
    throw error;
  }
  throw new Error('the manifest was accepted');
}

describe('a hostile manifest is refused by name before anything is written', () => {
  it('accepts a plain tree inside the roots, a glob root and a symlink that stays inside', () => {
    expect(() =>
      assertSafeManifest(SCOPE, [
        dir('/opt/oht50/config'),
        file('/opt/oht50/config/system.yaml'),
        link('/opt/oht50/config/current', 'system.yaml'),
        link('/etc/oht50/modules.yaml', '../../opt/oht50/config/system.yaml'),
        file('/etc/systemd/system/oht50-backend.service'),
      ]),
    ).not.toThrow();
  });

  it.each([
    ['".." in a path', file('/opt/oht50/config/../../../etc/shadow'), '/opt/oht50/config/../../../etc/shadow'],
    ['"." in a path', file('/opt/oht50/config/./x'), '/opt/oht50/config/./x'],
    ['a relative path', file('opt/oht50/config/x'), 'opt/oht50/config/x'],
    ['a double slash', file('/opt/oht50/config//x'), '/opt/oht50/config//x'],
    ['a newline', file('/opt/oht50/config/a\nb'), '/opt/oht50/config/a\nb'],
    ['an absolute path outside the roots', file('/etc/shadow'), '/etc/shadow'],
    ['a sibling that only shares a prefix', file('/opt/oht50/configuration'), '/opt/oht50/configuration'],
    ['a path in an excluded part', file('/opt/oht50/config/cache/x'), '/opt/oht50/config/cache/x'],
    ['a glob root non-match', file('/etc/systemd/system/sshd.service'), '/etc/systemd/system/sshd.service'],
    ['a symlink out of the profile', link('/opt/oht50/config/evil', '/etc/shadow'), '/opt/oht50/config/evil'],
    ['a relative symlink climbing out', link('/etc/oht50/evil', '../passwd'), '/etc/oht50/evil'],
    ['a device file', { ...file('/etc/oht50/dev'), type: 'other' as const }, '/etc/oht50/dev'],
    ['file-type bits in the mode', file('/etc/oht50/x', { mode: 0o20644 }), '/etc/oht50/x'],
    ['an owner name with shell characters', file('/etc/oht50/x', { owner: 'root;rm' }), '/etc/oht50/x'],
    ['a file without a hash', file('/etc/oht50/x', { sha256: 'nope' }), '/etc/oht50/x'],
  ])('%s', (_what, entry, path) => {
    expect(refusal([entry])).toEqual({ code: 'UNSAFE_PATH', path });
  });

  it('an entry below a path the backup holds as a symlink (writing through it)', () => {
    expect(
      refusal([link('/etc/oht50/sub', '/etc/oht50/real'), dir('/etc/oht50/real'), file('/etc/oht50/sub/x')]),
    ).toEqual({ code: 'UNSAFE_PATH', path: '/etc/oht50/sub/x' });
  });

  it('the same path twice', () => {
    expect(refusal([file('/etc/oht50/a'), file('/etc/oht50/a')])).toEqual({
      code: 'UNSAFE_PATH',
      path: '/etc/oht50/a',
    });
  });

  it.each(['/', '/etc', '/opt/*', '/opt/oht50/**/x', '/opt/x/*/y'])('a profile root %s', (root) => {
    expect(refusal([], { ...SCOPE, roots: [root] })).toEqual({ code: 'UNSAFE_PATH', path: root });
  });
});

describe('the scope of the shipped profile', () => {
  const scope = scopeFromProfile({
    format: 1,
    id: 'p',
    version: 1,
    description: '',
    roots: [
      {
        id: 'a',
        path: '/opt/oht50/frontend',
        description: '',
        enabled: true,
        services: ['oht50-frontend'],
        exclude: ['/opt/oht50/frontend/node_modules'],
      },
      { id: 'b', path: '/opt/oht50/logs', description: '', enabled: false, services: [], exclude: [] },
      {
        id: 'c',
        path: '/etc/systemd/system/oht50*.service',
        description: '',
        enabled: true,
        services: [],
        exclude: [],
      },
    ],
    databases: [{ path: '/opt/oht50/backend/oht50.db', description: '', enabled: true, services: ['oht50-backend'] }],
    secrets: [],
  });

  it('leaves out disabled roots and excludes, keeps a database with its -wal, -shm and -journal files', () => {
    expect(inScope(scope, '/opt/oht50/frontend/index.html')).toBe(true);
    expect(inScope(scope, '/opt/oht50/frontend/node_modules/x')).toBe(false);
    expect(inScope(scope, '/opt/oht50/logs/today.log')).toBe(false);
    expect(inScope(scope, '/opt/oht50/backend/oht50.db-wal')).toBe(true);
    expect(inScope(scope, '/opt/oht50/backend/main.py')).toBe(false);
    expect(inScope(scope, '/etc/systemd/system/oht50-backend.service')).toBe(true);
    expect(scope.reloadPaths).toEqual(['/etc/systemd/system/oht50*.service']);
  });
});
