import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { decimalInteger, decimalNumber } from '../../../electron/cli/args';
import { runCli } from '../../../electron/cli/main';
import { defaultKeyFile } from '../../../electron/core/history/auditKey';
import { captureIo } from '../../support/cli/captureIo';

describe('numbers on the command line are decimal digits', () => {
  it.each([
    ['22', 22],
    ['0', 0],
    ['0x16', null],
    ['', null],
    [' ', null],
    ['1e3', null],
    ['+5', null],
    ['-1', null],
    ['5.0', null],
    ['２２', null],
  ])('%j reads as %j', (raw, value) => {
    expect(decimalInteger(raw)).toBe(value);
  });

  it('takes a fraction only where a fraction makes sense', () => {
    expect(decimalNumber('0.5')).toBe(0.5);
    expect(decimalNumber('2')).toBe(2);
    expect(decimalNumber('0x2')).toBeNull();
    expect(decimalNumber('')).toBeNull();
  });

  describe('through ohtw', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ohtw-numbers-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
      await rm(defaultKeyFile(dir), { force: true });
    });
    const cli = async (...argv: string[]) => {
      const io = captureIo({});
      const code = await runCli([...argv, '--data-dir', dir], io);
      return { code, err: io.stderr() };
    };
    const add = (port: string) =>
      cli('units', 'add', 'u1', '--host', 'h', '--user', 'oht', '--key', '/k', '--port', port);

    it('refuses --port 0x16 and an empty --port, and adds nothing', async () => {
      expect(await add('0x16')).toEqual({
        code: 64,
        err: 'ohtw units: --port must be a whole number from 1 to 65535, not "0x16" (see: ohtw --help)\n',
      });
      expect((await add('')).code).toBe(64);
      expect((await cli('serve', '--port', '')).code).toBe(64);
      const listed = captureIo({});
      await runCli(['units', 'list', '--json', '--data-dir', dir], listed);
      expect(JSON.parse(listed.stdout())).toEqual([]);
      expect((await add('22')).code).toBe(0);
    });
  });
});
