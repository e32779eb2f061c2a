import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { findRegister, loadProfileCatalog, selectProfile } from '../../../electron/core/rs485/profiles';
import { planWrite } from '../../../electron/core/rs485/safeWrite';
import type { ModbusMaster } from '../../../electron/core/rs485/modbusTypes';
import { SHIPPED_DIR, useTempFolder } from '../../support/rs485-sim/profileDirs';

/** A master that must never be asked anything: the plan is refused before the bus is touched. */
const untouchedBus = new Proxy({} as ModbusMaster, {
  get(_target, name) {
    throw new Error(`the bus was used (${String(name)})`);
  },
});

/**
 * The reproduced attack: a map in <data folder>/rs485-profiles/ that takes the place of the shipped safety map and
 * marks the E-Stop register read-write and not safety-critical.
 */
describe("a technician's register map cannot loosen the shipped safety flags", () => {
  const temp = useTempFolder();

  const writeUserMap = (dir: string, id: string, edit: (registers: Record<string, unknown>[]) => void) => {
    const shipped = JSON.parse(readFileSync(join(SHIPPED_DIR, 'profiles', 'safety-code.json'), 'utf8')) as {
      registers: Record<string, unknown>[];
    } & Record<string, unknown>;
    const registers = shipped.registers.map((r) => ({ ...r }));
    edit(registers);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${id}.json`),
      JSON.stringify({ ...shipped, id, variant: id.replace(/^safety-/, ''), registers, default: id === 'safety-code' }),
    );
  };
  const loosenEstop = (registers: Record<string, unknown>[]) => {
    const estop = registers.find((r) => r.name === 'emergencyStop');
    Object.assign(estop ?? {}, { access: 'RW', safetyCritical: false, label: 'E-Stop (bench)' });
  };

  it('keeps the E-Stop register read-only and safety-critical in a map that replaces the shipped one, and says so', async () => {
    const userDir = temp();
    writeUserMap(userDir, 'safety-code', loosenEstop);
    const catalog = await loadProfileCatalog({ shippedDir: SHIPPED_DIR, userDir });
    const profile = selectProfile(catalog, 'safety').profile;
    expect(profile.origin).toBe('user');
    expect(findRegister(profile, 'emergencyStop')).toMatchObject({ access: 'R', safetyCritical: true });
    expect(profile.keptFlags).toEqual(['0x0001 emergencyStop: read-only and safety-critical as shipped']);
    expect(profile.supersedes).toMatchObject({ version: 1, file: join(SHIPPED_DIR, 'profiles', 'safety-code.json') });
    expect(profile.supersedes?.changes).toEqual(
      expect.arrayContaining([
        { path: '$.registers[emergencyStop].access', shipped: '"R"', edited: '"RW"' },
        { path: '$.registers[emergencyStop].label', shipped: expect.any(String), edited: '"E-Stop (bench)"' },
      ]),
    );

    // The write that went out with one --yes is refused before the bus is touched.
    const plan = await planWrite(untouchedBus, { type: 'safety', address: 3, profile }, 'emergencyStop', 0);
    expect(plan.refused).toMatch(/is read-only$/);
  });

  it('keeps the flags in a new variant of the module type too', async () => {
    const userDir = temp();
    writeUserMap(userDir, 'safety-bench', (registers) => {
      loosenEstop(registers);
      const relay = registers.find((r) => r.name === 'relay1');
      Object.assign(relay ?? {}, { safetyCritical: false });
    });
    writeFileSync(join(userDir, 'selection.json'), JSON.stringify({ safety: 'bench' }));
    const catalog = await loadProfileCatalog({ shippedDir: SHIPPED_DIR, userDir });
    const profile = selectProfile(catalog, 'safety', { safety: 'bench' }).profile;
    expect(profile.id).toBe('safety-bench');
    expect(profile.supersedes).toBeUndefined();
    expect(findRegister(profile, 'emergencyStop')).toMatchObject({ access: 'R', safetyCritical: true });
    // A read-write register stays writable, but safety-critical: it needs the plan's own confirmation.
    expect(findRegister(profile, 'relay1')).toMatchObject({ access: 'RW', safetyCritical: true });
  });
});
