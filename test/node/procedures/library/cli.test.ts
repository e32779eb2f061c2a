import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../../../electron/cli/main';
import { captureIo, type CapturedIo } from '../../../support/cli/captureIo';

describe('ohtw procedures', () => {
  let dir: string;
  let io: CapturedIo;
  const run = (...args: string[]) => runCli([...args, '--data-dir', dir], io);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-procedures-cli-'));
    io = captureIo({});
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('list --json gives [{id, category, title, version, source, supersedesShipped}] for every procedure', async () => {
    expect(await run('procedures', 'list', '--json')).toBe(0);
    const list = JSON.parse(io.stdout()) as Record<string, unknown>[];
    expect(list).toHaveLength(25);
    for (const entry of list) {
      expect(Object.keys(entry).sort()).toEqual(['category', 'id', 'source', 'supersedesShipped', 'title', 'version']);
    }
    expect(list).toContainEqual({
      id: 'emergency.estop',
      category: 'emergency',
      title: 'E-Stop triggered: safety response',
      version: 1,
      source: 'shipped',
      supersedesShipped: null,
    });
    expect(io.stderr()).toBe('');
  });

  it('list names a refused file on stderr, with the place and the reason, and still lists the rest', async () => {
    await mkdir(join(dir, 'procedures'));
    await writeFile(
      join(dir, 'procedures', 'mine.json'),
      JSON.stringify({ id: 'routine.mine', version: 1, category: 'routine', title: { en: 'Mine' } }),
    );
    expect(await run('procedures', 'list', '--json')).toBe(0);
    expect(JSON.parse(io.stdout())).toHaveLength(25);
    expect(io.stderr()).toContain('refused user procedure mine.json: $.title.vi: missing Vietnamese translation (vi)');
  });

  it('list reads by category, in Vietnamese on request', async () => {
    expect(await run('procedures', 'list', '--category', 'checklist', '--lang', 'vi')).toBe(0);
    expect(io.stdout()).toContain('checklist\n');
    expect(io.stdout()).toContain('Danh sách kiểm tra trước triển khai');
    expect(io.stdout()).not.toContain('emergency');
    expect(await run('procedures', 'list', '--category', 'misc')).toBe(64);
  });

  it('show prints each step with its command, gates and jumps', async () => {
    expect(await run('procedures', 'show', 'emergency.estop')).toBe(0);
    const text = io.stdout();
    expect(text).toContain('emergency.estop v1 (emergency, shipped emergency.estop.json)');
    expect(text).toContain(' 3. [check] Check the hardware E-Stop input (pin)');
    expect(text).toContain('$ sudo cat {estopGpioPath}');
    expect(text).toContain(' 4. [action] Reset the E-Stop (reset)');
    expect(text).toContain('operation estop.reset');
    expect(text).toContain('gates: estop.released');
    expect(text).toContain('- Released: check the input again → 3 (pin)');
  });

  it('show --lang vi, and --json the procedure itself', async () => {
    expect(await run('procedures', 'show', 'alerts.high-disk', '--lang', 'vi')).toBe(0);
    expect(io.stdout()).toContain('Xóa log cũ hơn 7 ngày');
    expect(io.stdout()).toContain("$ sudo find {installDir}/logs/ -name '*.log' -mtime +7 -delete");
    io.reset();
    expect(await run('procedures', 'show', 'recovery.data', '--json')).toBe(0);
    const shown = JSON.parse(io.stdout()) as { procedure: { id: string; version: number }; versions: number[] };
    expect(shown).toMatchObject({ procedure: { id: 'recovery.data', version: 1 }, versions: [1], source: 'shipped' });
  });

  it('show of an unknown id fails with the reason; a missing id is a usage error', async () => {
    expect(await run('procedures', 'show', 'emergency.unknown')).toBe(1);
    expect(io.stderr()).toContain('no procedure emergency.unknown');
    expect(await run('procedures', 'show')).toBe(64);
    expect(await run('procedures', 'fly')).toBe(64);
  });
});
