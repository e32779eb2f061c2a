import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { createRs485Command, type ReadDecoder } from '../../../electron/cli/commands/rs485';
import { busSettings } from '../../../electron/core/rs485/busTiming';
import { connectBus } from '../../../electron/core/rs485/connectBus';
import { encodeReply, encodeRequest } from '../../../electron/core/rs485/frame';
import { openSerialByteChannel } from '../../../electron/core/rs485/SerialByteChannel';
import { captureIo, type CapturedIo } from '../../support/cli/captureIo';
import { startPtyPair, type PtyPair } from '../../support/rs485/ptyPair';
import { startPymodbusSlave, type PymodbusSlave } from '../../support/rs485/pymodbusSlave';
import { assertPymodbus } from '../../support/rs485/requirements';

/** `ohtw rs485 …` through runCli, against Debian's pymodbus on a socat pty pair. */
describe('ohtw rs485', () => {
  let pty: PtyPair;
  let slave: PymodbusSlave;
  let io: CapturedIo;
  const dataDir = mkdtempSync(join(tmpdir(), 'ohtw-rs485-cli-'));
  const fast = ['--gap', '2', '--timeout', '200', '--retries', '1'];

  const run = async (...argv: string[]): Promise<number> => {
    io = captureIo();
    return runCli(argv, io);
  };

  beforeAll(async () => {
    assertPymodbus();
    pty = await startPtyPair();
    slave = await startPymodbusSlave(pty.b, ['2:2', '3:3:minimal', '7']);
    const bus = await connectBus(busSettings(pty.a, { timeoutMs: 100, retries: 0 }));
    try {
      const deadline = Date.now() + 15_000;
      while (
        !(await bus.master.readHoldingRegisters(2, 0x0100, 1).then(
          () => true,
          () => false,
        ))
      ) {
        if (Date.now() > deadline) {
          throw new Error(`the pymodbus slave never answered: ${slave.log()}`);
        }
      }
    } finally {
      await bus.release();
    }
  });

  afterAll(async () => {
    await slave?.stop();
    await pty?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is in the usage text, and asks for a subcommand', async () => {
    expect(await run('--help')).toBe(0);
    expect(io.stdout()).toContain(
      'ohtw rs485 scan --port PATH [--baud N] [--from A --to B | --address N…] [--thorough] [--json]',
    );
    expect(await run('rs485')).toBe(64);
    expect(io.stderr()).toMatch(
      /rs485 needs a subcommand: ports, scan, read, write, monitor, diagnose, stop-firmware or sim/,
    );
  });

  it('lists ports as JSON, and as a table', async () => {
    expect(await run('rs485', 'ports', '--json')).toBe(0);
    const listed = JSON.parse(io.stdout()) as { ports: { path: string; vidPid: string | null }[] };
    expect(Array.isArray(listed.ports)).toBe(true);
    expect(await run('rs485', 'ports')).toBe(0);
    expect(io.stdout()).toMatch(/^(PATH\s+VID:PID|No serial ports found)/);
  });

  it('watches ports until stopped', async () => {
    io = captureIo();
    io.stop();
    expect(await runCli(['rs485', 'ports', '--watch'], io)).toBe(0);
    expect(io.stdout()).toContain('Watching for adapters');
  });

  it('scans a range through the bus service and prints the promised JSON', async () => {
    const scan = ['rs485', 'scan', '--port', pty.a, '--data-dir', dataDir];
    expect(await run(...scan, '--from', '1', '--to', '4', '--json', ...fast)).toBe(0);
    const result = JSON.parse(io.stdout()) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual([
      'port',
      'baud',
      'durationMs',
      'probeTimeoutMs',
      'thorough',
      'modules',
      'suspects',
      'expectedMissing',
    ]);
    expect(result).toMatchObject({ port: pty.a, baud: 115200, suspects: [], thorough: false });
    // The register maps expect the travel module at 0x04; a quick scan that did not find it says so.
    expect(result.expectedMissing).toEqual([{ address: 4, moduleType: 'travel' }]);
    expect(typeof result.durationMs).toBe('number');
    // A module that answered after the quick pass's timeout is still found, with how late it was: on a busy
    // machine the pty and the slave can be that slow, so lateness is allowed here and tested where it is made.
    const modules = (result.modules as Record<string, unknown>[]).map(({ lateMs: _lateMs, ...rest }) => rest);
    expect(modules).toEqual([
      { address: 2, type: 2, typeName: 'Power', firmwareVersion: '1.02', hardwareVersion: '1.01', status: 1, error: 0 },
      {
        address: 3,
        type: 3,
        typeName: 'Safety',
        firmwareVersion: '1.02',
        hardwareVersion: '1.01',
        status: 1,
        error: 0,
      },
    ]);
  });

  it('scans with a table for people, and offers a thorough look at the expected modules it did not find', async () => {
    const scan = ['rs485', 'scan', '--port', pty.a, '--data-dir', dataDir];
    expect(await run(...scan, '--from', '2', '--to', '4', ...fast)).toBe(0);
    const lines = io.stdout().split('\n');
    expect(lines[0]).toBe(`Scanning ${pty.a} (115200 8N1) at 2–4 …`);
    expect(lines[1]).toMatch(/^ADDR\s+TYPE\s+FIRMWARE\s+HARDWARE\s+STATUS\s+ERROR\s+NAME\s+NOTES$/);
    expect(lines[2]).toMatch(/^0x02\s+Power\s+1\.02\s+1\.01\s+0x0001\s+0x0000\s+M02(\s+slow: .*)?$/);
    expect(lines[3]).toMatch(/^0x03\s+Safety\s+1\.02\s+1\.01\s+0x0001\s+0x0000\s+(-|slow: answered .*)$/);
    expect(lines[4]).toMatch(/^2 module\(s\) at 2–4 on .* \(115200 8N1\) in \d+\.\d\d s\.$/);
    expect(lines[5]).toBe(
      `Expected but not found: 0x04 (travel). The quick scan waited ${/waited (\d+) ms/.exec(lines[5] ?? '')?.[1] ?? '?'} ms ` +
        `per address; to ask again with the bus's own timeout (200 ms, 1 retries): ` +
        `ohtw rs485 scan --port ${pty.a} --thorough --address 4`,
    );
    expect(await run(...scan, '--thorough', '--address', '4,7', '--json', ...fast)).toBe(0);
    const thorough = JSON.parse(io.stdout()) as { thorough: boolean; probeTimeoutMs: number; modules: unknown[] };
    expect(thorough).toMatchObject({ thorough: true, probeTimeoutMs: 200 });
    expect(thorough.modules).toEqual([expect.objectContaining({ address: 7 })]);
  });

  it('refuses a baud rate the bus cannot use, a bad range and a missing port', async () => {
    expect(await run('rs485', 'scan', '--port', pty.a, '--baud', '12345')).toBe(64);
    expect(io.stderr()).toMatch(/--baud must be one of 9600, 19200, 38400, 57600, 115200, not "12345"/);
    expect(await run('rs485', 'scan', '--port', pty.a, '--from', '9', '--to', '3')).toBe(64);
    expect(await run('rs485', 'scan', '--from', '1')).toBe(64);
    expect(io.stderr()).toMatch(/--port PATH is required/);
    expect(await run('rs485', 'scan', '--port', '/dev/ttyUSB-gone', '--data-dir', dataDir)).toBe(1);
    expect(io.stderr()).toBe('ohtw: There is no serial port /dev/ttyUSB-gone (is the adapter plugged in?)\n');
  });

  it('reads raw values as JSON and as a table, decoded by the module map', async () => {
    expect(
      await run('rs485', 'read', '--port', pty.a, '--slave', '2', '--register', '0x0104', '--count', '3', '--json'),
    ).toBe(0);
    const read = JSON.parse(io.stdout()) as Record<string, unknown>;
    expect(read).toMatchObject({
      port: pty.a,
      slave: 2,
      register: 0x0104,
      count: 3,
      function: 'holding',
      values: [2, 0x0102, 0x0101],
      decoded: { module: 'power', profile: 'power-code@1' },
    });
    expect((read.decoded as { registers: { name: string; raw: number }[] }).registers).toEqual([
      expect.objectContaining({ name: 'moduleType', raw: 2 }),
      expect.objectContaining({ name: 'firmwareVersion', raw: 0x0102 }),
      expect.objectContaining({ name: 'hardwareVersion', raw: 0x0101 }),
    ]);
    expect(await run('rs485', 'read', '--port', pty.a, '--slave', '7', '--register', '0x0104')).toBe(0);
    expect(io.stdout()).toMatch(
      /^\(not decoded: slave 7 does not say which module it is \(0x0104 holds 0\); name it with --type/m,
    );
    expect(await run('rs485', 'read', '--port', pty.a, '--slave', '2', '--register', '10', '--input')).toBe(0);
    expect(io.stdout()).toBe(
      `slave 2 input 0x000A ×1 on ${pty.a}\nREGISTER     VALUE  HEX\n0x000A (10)  1010   0x03F2\n`,
    );
  });

  it('says clearly when a slave does not answer or refuses', async () => {
    expect(
      await run(
        'rs485',
        'read',
        '--port',
        pty.a,
        '--slave',
        '9',
        '--register',
        '0',
        '--timeout',
        '30',
        '--retries',
        '0',
      ),
    ).toBe(1);
    expect(io.stderr()).toBe('ohtw: Slave 9 did not answer FC03 read 0x0000 ×1 within 30 ms\n');
    expect(await run('rs485', 'read', '--port', pty.a, '--slave', '3', '--register', '0')).toBe(1);
    expect(io.stderr()).toBe('ohtw: Slave 3 refused FC03 read 0x0000 ×1: exception 02 (illegal data address)\n');
  });

  it('writes only through the safe-write rules: planned, --yes, verified; refused where the map says no', async () => {
    const write = (...args: string[]): Promise<number> =>
      run('rs485', 'write', '--port', pty.a, '--data-dir', dataDir, ...fast, ...args);
    expect(await write('--slave', '2', '--register', '0x30', '--value', '24.5')).toBe(64);
    expect(io.stdout()).toMatch(/^Plan: Power 0x02 .*\(chargerVoltageSet, 0x0030\): 14\.8 V → 24\.5 V/m);
    expect(io.stderr()).toMatch(/refusing to write to slave 2 without --yes; nothing written/);
    expect(await run('rs485', 'read', '--port', pty.a, '--slave', '2', '--register', '0x30', '--json')).toBe(0);
    expect(JSON.parse(io.stdout()).values).toEqual([148]);

    expect(await write('--slave', '2', '--register', '0x30', '--value', '24.5', '--yes')).toBe(0);
    expect(io.stdout()).toMatch(/^Done: .* is now 24\.5 V, verified by reading it back \(raw 245, 0x00F5\)/m);
    expect(await run('rs485', 'read', '--port', pty.a, '--slave', '2', '--register', '0x30', '--json')).toBe(0);
    expect(JSON.parse(io.stdout()).values).toEqual([245]);

    // What the old raw write let through: a read-only register, a value out of range.
    expect(await write('--slave', '2', '--register', '0x20', '--value', '77', '--yes')).toBe(1);
    expect(io.stdout()).toMatch(/^Refused: .*\(cell4Balancing, 0x0020\): .* is read-only; nothing written/m);
    expect(await write('--slave', '2', '--register', '0x30', '--value', '70000', '--yes')).toBe(1);
    expect(io.stdout()).toMatch(/^Refused: .* is outside .* range 0 V\.\.30 V; nothing written/m);
  });

  it('refuses to write to a slave that does not say which module it is, unless --type names it', async () => {
    const write = (...args: string[]): Promise<number> =>
      run('rs485', 'write', '--port', pty.a, '--data-dir', dataDir, ...fast, ...args);
    expect(await write('--slave', '7', '--register', 'chargerVoltageSet', '--value', '24', '--yes')).toBe(1);
    expect(io.stdout()).toBe(
      `Refused: nothing written to slave 7 on ${pty.a}: slave 7 does not say which module it is ` +
        '(0x0104 holds 0); name it with --type power|safety|travel|dock\n',
    );
    expect(
      await write('--slave', '7', '--type', 'power', '--register', 'chargerVoltageSet', '--value', '24', '--yes'),
    ).toBe(0);
    expect(io.stdout()).toMatch(/^Power module at slave 7 \(named by --type\)/);
    expect(io.stdout()).toMatch(/^Done: .* is now 24\.0 V, verified/m);
    // A module that says its type is never taken for another.
    expect(await write('--slave', '2', '--type', 'safety', '--register', '0x40', '--value', '1', '--yes')).toBe(1);
    expect(io.stdout()).toMatch(/slave 2 says it is the Power module \(0x0104 = 2\), not Safety/);
    expect(await write('--slave', '2', '--type', 'lift', '--register', '0x40', '--value', '1')).toBe(64);
  });

  it('lets a decoder replace the map decoding of reads, or turn it off', async () => {
    const decodeRead: ReadDecoder = async (read) => ({
      lines: [`decoded: ${read.values.join('/')}`],
      json: { first: read.values[0] ?? null },
    });
    const command = createRs485Command({ decodeRead });
    io = captureIo();
    expect(await command(['read', '--port', pty.a, '--slave', '2', '--register', '0x21', '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout())).toMatchObject({ values: [133], decoded: { first: 133 } });
    io = captureIo();
    expect(await command(['read', '--port', pty.a, '--slave', '2', '--register', '0x21'], io)).toBe(0);
    expect(io.stdout()).toMatch(/decoded: 133\n$/);
    io = captureIo();
    expect(
      await createRs485Command({ decodeRead: null })(
        ['read', '--port', pty.a, '--slave', '2', '--register', '0x21', '--json'],
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(io.stdout())).not.toHaveProperty('decoded');
    const tripping = createRs485Command({
      decodeRead: async () => {
        throw new Error('no profile for this module');
      },
    });
    io = captureIo();
    expect(await tripping(['read', '--port', pty.a, '--slave', '2', '--register', '0x21', '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout())).toMatchObject({ values: [133] });
    expect(io.stderr()).toBe('(could not decode: no profile for this module)\n');
  });
});

describe('ohtw rs485 monitor', () => {
  it('prints the frames on the bus until stopped, and exports them', async () => {
    const pty = await startPtyPair();
    const dir = await mkdtemp(join(tmpdir(), 'ohtw-monitor-cli-'));
    const other = await openSerialByteChannel(busSettings(pty.b));
    try {
      const io = captureIo();
      const exportPath = join(dir, 'bus.csv');
      const done = runCli(['rs485', 'monitor', '--port', pty.a, '--export', exportPath], io);
      const deadline = Date.now() + 10_000;
      while (!io.stdout().includes('Listening on')) {
        if (Date.now() > deadline) {
          throw new Error(`the monitor did not start: ${io.stderr()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await other.write(encodeRequest({ fc: 3, slave: 4, address: 0x0100, count: 1 }));
      await other.write(encodeReply({ kind: 'registers', fc: 3, slave: 4, values: [4] }));
      while (io.stdout().split('\n').length < 4 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      io.stop();
      expect(await done).toBe(0);
      const lines = io.stdout().trimEnd().split('\n');
      expect(lines[0]).toBe(`Listening on ${pty.a} (115200 8N1); this sends nothing. Press Ctrl-C to stop.`);
      expect(lines[1]).toMatch(/Z {2}tx {2}ok {3}04 03 01 00 00 01 85 [0-9A-F]{2} {2}slave 4 FC03 read 0x0100 ×1$/);
      expect(lines[2]).toMatch(/Z {2}rx {2}ok {3}04 03 02 00 04 .* {2}slave 4 FC03 reply: 4$/);
      expect(io.stderr()).toBe(`Saved 2 frame(s) to ${exportPath}.\n`);
      expect((await readFile(exportPath, 'utf8')).split('\n')).toHaveLength(4);
    } finally {
      await other.close();
      await pty.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('ends with a clear error when the port goes away', async () => {
    const pty = await startPtyPair();
    try {
      const io = captureIo();
      const done = runCli(['rs485', 'monitor', '--port', pty.a], io);
      const deadline = Date.now() + 10_000;
      while (!io.stdout().includes('Listening on') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await pty.kill();
      expect(await done).toBe(1);
      expect(io.stderr()).toBe(`ohtw: The serial port ${pty.a} went away (adapter unplugged?)\n`);
    } finally {
      await pty.stop();
    }
  });
});
