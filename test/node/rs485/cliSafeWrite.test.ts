import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { HISTORY_FILE } from '../../../electron/core/createCore';
import type { AuditRecord } from '../../../electron/core/history/auditRecord';
import { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { openHistoryDatabase } from '../../../electron/core/history/openDatabase';
import { systemClock } from '../../../electron/core/ports/Clock';
import { startSimBus, type SimBusHandle } from '../../../electron/core/rs485/simModulesSlave';
import { captureIo, type CapturedIo } from '../../support/cli/captureIo';
import { useTempFolder } from '../../support/rs485-sim/profileDirs';
import { requireTool } from '../../support/rs485-sim/tools';
import { testAudit } from '../../support/fakes/auditKeys';
import { SHIPPED_DIR } from '../../support/rs485-sim/profileDirs';

/** The core records who acted, as for every audited action: with no technician set, the OS user, saying so. */
const ACTOR = 'tech-ana (OS user; technician not set)';

/** `ohtw rs485 write` and `read` through runCli, against the simulated modules on a socat pty pair. */
describe('ohtw rs485 write: the safe-write path', () => {
  let sim: SimBusHandle;
  let io: CapturedIo;
  const temp = useTempFolder('ohtw-cli-safewrite-');
  const fast = ['--gap', '2', '--timeout', '400', '--retries', '1'];

  const run = async (...argv: string[]): Promise<number> => {
    io = captureIo({ USER: 'tech-ana' });
    return runCli(['rs485', ...argv, '--port', sim.masterPath ?? '', '--data-dir', temp(), ...fast], io);
  };

  const audit = (): AuditRecord[] => {
    const repo = new HistoryRepository(openHistoryDatabase(join(temp(), HISTORY_FILE)), systemClock, testAudit());
    try {
      return repo.listAudit({ limit: 100 });
    } finally {
      repo.close();
    }
  };

  beforeAll(async () => {
    requireTool('socat', 'socat');
    sim = await startSimBus({ createPty: true, shippedDir: SHIPPED_DIR });
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('refuses a read-only register with one clear line, writes nothing and records the refusal', async () => {
    const before = sim.bus.peek(2, 0x0000);
    expect(await run('write', '--slave', '2', '--register', 'packVoltage', '--value', '20', '--yes')).toBe(1);
    expect(io.stdout().split('\n')[1]).toBe(
      'Refused: Power 0x02 Battery pack voltage (packVoltage, 0x0000): Battery pack voltage is read-only; ' +
        `nothing written (audit log entry #1 by ${ACTOR}).`,
    );
    expect(io.stdout()).not.toMatch(/^Plan:/m);
    expect(sim.bus.peek(2, 0x0000)).toBe(before);
    expect(audit()[0]).toMatchObject({
      actor: ACTOR,
      action: 'rs485.write',
      outcome: 'refused',
      details: { register: 'packVoltage', slave: 2 },
    });
  });

  it('refuses a value outside the range, and a register the map does not have', async () => {
    const before = sim.bus.peek(2, 0x0030);
    expect(await run('write', '--slave', '2', '--register', '0x0030', '--value', '40', '--yes')).toBe(1);
    expect(io.stdout()).toMatch(
      /^Refused: .*\(chargerVoltageSet, 0x0030\): 40\.0 V is outside .* range 0 V\.\.30 V; nothing written/m,
    );
    expect(sim.bus.peek(2, 0x0030)).toBe(before);
    expect(await run('write', '--slave', '2', '--register', '0x0999', '--value', '1', '--yes')).toBe(1);
    expect(io.stdout()).toMatch(
      /^Refused: Power 0x02 0x0999: the map power-code has no register 0x0999; nothing written/m,
    );
  });

  it('refuses to write without --yes (exit 64), after showing the plan', async () => {
    const before = sim.bus.peek(3, 0x0040);
    const entries = audit().length;
    expect(await run('write', '--slave', '3', '--register', 'zoneThreshold1', '--value', '1200')).toBe(64);
    expect(io.stdout()).toMatch(/Plan: Safety 0x03 .*zoneThreshold1, 0x0040\): 1000 mm → 1200 mm \[safety-critical/);
    expect(io.stderr()).toMatch(/refusing to write to slave 3 without --yes; nothing written/);
    expect(sim.bus.peek(3, 0x0040)).toBe(before);
    expect(audit()).toHaveLength(entries);
  });

  it('writes a safety-critical register with --yes: confirmed, read back, verified and audited', async () => {
    expect(await run('write', '--slave', '3', '--register', '0x0040', '--value', '1200', '--yes')).toBe(0);
    const out = io.stdout();
    expect(out).toMatch(/^Safety module at slave 3 \(says 0x0104 = 3\); map safety-code version \d+$/m);
    expect(out).toMatch(/1000 mm → 1200 mm \[safety-critical: confirm\]$/m);
    expect(out).toMatch(/^Zone threshold 1 is safety-critical: the write was confirmed by --yes\.$/m);
    expect(out).toMatch(
      /^Done: .* is now 1200 mm, verified by reading it back \(raw 1200, 0x04B0\); audit log entry #\d+ by tech-ana \(OS user; technician not set\)\.$/m,
    );
    expect(sim.bus.peek(3, 0x0040)).toBe(1200);
    expect(audit()[0]).toMatchObject({
      actor: ACTOR,
      action: 'rs485.write',
      outcome: 'ok',
      details: { register: 'zoneThreshold1', confirmed: true, oldRaw: 1000, newRaw: 1200, readBackRaw: 1200 },
    });
  });

  it('prints the result as JSON, by the register name and in the register units', async () => {
    expect(
      await run('write', '--slave', '2', '--register', 'chargerVoltageSet', '--value', '24.5', '--yes', '--json'),
    ).toBe(0);
    const result = JSON.parse(io.stdout()) as Record<string, unknown>;
    expect(result).toMatchObject({
      plan: { register: { name: 'chargerVoltageSet' }, old: { value: 25.2 }, new: { value: 24.5, raw: 245 } },
      confirmedBy: '--yes',
      outcome: 'ok',
      verified: true,
      readBack: { value: 24.5, unit: 'V', raw: 245 },
    });
    expect(sim.bus.peek(2, 0x0030)).toBe(245);
  });

  it('reads with the map: name, value with its unit and the raw word', async () => {
    expect(await run('read', '--slave', '3', '--register', '0x0040', '--count', '2')).toBe(0);
    expect(io.stdout()).toMatch(/^0x0040 zoneThreshold1 \(.*\): 1200 mm {2}raw 1200 \(0x04B0\)$/m);
    expect(io.stdout()).toMatch(/^0x0040 \(64\) +1200 +0x04B0$/m);
    expect(await run('read', '--slave', '2', '--register', '0x0030', '--json')).toBe(0);
    expect(JSON.parse(io.stdout())).toMatchObject({
      values: [245],
      decoded: {
        module: 'power',
        profile: 'power-code@1',
        registers: [{ name: 'chargerVoltageSet', value: 24.5, unit: 'V', text: '24.5 V', raw: 245 }],
      },
    });
  });
});
