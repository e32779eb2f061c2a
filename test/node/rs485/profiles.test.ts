import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  copyShippedToUser,
  findRegister,
  loadProfileCatalog,
  readSelection,
  saveUserProfile,
  selectProfile,
  writeSelection,
} from '../../../electron/core/rs485/profiles';
import { MODULE_TYPES } from '../../../shared/domain/rs485Profile';
import { AppError } from '../../../shared/errors/AppError';
import { SHIPPED_DIR, shippedCatalog, useTempFolder } from '../../support/rs485-sim/profileDirs';

const hashOf = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A small, valid user profile: a bench dock with only the identity block and one status register. */
function benchDock(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 1,
    id: 'dock-bench',
    moduleType: 'dock',
    variant: 'bench',
    version: 1,
    title: 'Bench dock',
    source: ['made for the test'],
    defaultAddress: 5,
    policy: { critical: false, action: 'LOG_ONLY', expectedResponseMs: 40, maxResponseMs: 200 },
    includes: [{ block: 'identity' }],
    registers: [
      {
        address: '0x0040',
        name: 'dockingStatus',
        label: 'Docking status',
        unit: '',
        scale: 1,
        access: 'R',
        safetyCritical: false,
        min: 0,
        max: 5,
      },
    ],
    ...overrides,
  };
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

describe('shipped register maps', () => {
  it('every shipped file loads, with no problem and no notice', async () => {
    const catalog = await shippedCatalog();
    const files = readdirSync(join(SHIPPED_DIR, 'profiles')).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    expect(catalog.profiles.map((p) => `${p.id}.json`).sort()).toEqual(files.sort());
    expect(catalog.problems).toEqual([]);
    expect(catalog.notices).toEqual([]);
    for (const profile of catalog.profiles) {
      expect(profile.origin).toBe('shipped');
      expect(profile.id).toBe(`${profile.moduleType}-${profile.variant}`);
      expect(profile.version).toBeGreaterThanOrEqual(1);
      expect(profile.source.length).toBeGreaterThan(0);
      const addresses = profile.registers.map((r) => r.address);
      expect(addresses).toEqual([...addresses].sort((a, b) => a - b));
      expect(new Set(addresses).size).toBe(addresses.length);
    }
  });

  it('has exactly one default map per module type, and the alternates the facts list', async () => {
    const catalog = await shippedCatalog();
    for (const type of MODULE_TYPES) {
      expect(catalog.profiles.filter((p) => p.moduleType === type && p.default === true)).toHaveLength(1);
    }
    const variants = (type: string): string[] =>
      catalog.profiles.filter((p) => p.moduleType === type).map((p) => p.variant);
    expect(variants('power')).toEqual(['code']);
    expect(variants('safety')).toEqual(['code']);
    expect(variants('travel').sort()).toEqual(['alternate', 'canonical']);
    expect(variants('dock').sort()).toEqual(['code', 'handler', 'polling']);
  });

  it('selects the chosen variant per module, the default otherwise, and says when a choice is not available', async () => {
    const catalog = await shippedCatalog();
    expect(selectProfile(catalog, 'travel').profile.id).toBe('travel-canonical');
    expect(selectProfile(catalog, 'travel', { travel: 'alternate' }).profile.id).toBe('travel-alternate');
    expect(selectProfile(catalog, 'dock', { dock: 'handler' }).profile.id).toBe('dock-handler');
    const missing = selectProfile(catalog, 'dock', { dock: 'v9' });
    expect(missing.profile.id).toBe('dock-code');
    expect(missing.note).toMatch(/"v9" is not available \(code, handler, polling\); using code/);
  });

  it('carries the facts: the power map, the safety E-Stop, the identity block and the colliding dock map', async () => {
    const catalog = await shippedCatalog();
    const power = selectProfile(catalog, 'power').profile;
    expect(findRegister(power, 'packVoltage')).toMatchObject({ address: 0x0000, unit: 'V', scale: 0.1, access: 'R' });
    expect(findRegister(power, '0x0023')?.bits?.map((b) => b.name)).toEqual([
      'overvoltage',
      'undervoltage',
      'overcurrent',
      'overtemperature',
      'communication error',
      'relay fault',
      'battery low',
      'charging fault',
    ]);
    expect(findRegister(power, 0x003c)).toMatchObject({ name: 'chargerOutput', access: 'RW', safetyCritical: true });
    expect(findRegister(power, 'resetErrors')).toMatchObject({ address: 0x0109, access: 'W', safetyCritical: true });
    const safety = selectProfile(catalog, 'safety').profile;
    expect(findRegister(safety, 1)?.name).toBe('emergencyStop');
    const polling = selectProfile(catalog, 'dock', { dock: 'polling' }).profile;
    expect(findRegister(polling, 'moduleType')).toBeUndefined();
    expect(findRegister(polling, 0x0104)?.name).toBe('dockStatus');
    expect(findRegister(polling, 0x0108)?.name).toBe('rfidTagLow');
    expect(findRegister(polling, 'deviceId')?.address).toBe(0x0100);
  });
});

describe('user register maps', () => {
  const temp = useTempFolder();

  it('refuses a bad user file with its name, the place and the reason, and still loads the rest', async () => {
    const userDir = join(temp(), 'rs485-profiles');
    mkdirSync(userDir, { recursive: true });
    const good = benchDock();
    writeJson(join(userDir, 'bench.json'), good);
    const badScale = benchDock({ id: 'dock-scale', variant: 'scale' });
    (badScale.registers as Record<string, unknown>[]).push({
      address: '0x0041',
      name: 'dockingMode',
      label: 'Mode',
      unit: '',
      scale: 0,
      access: 'R',
      safetyCritical: false,
      min: 0,
      max: 3,
    });
    writeJson(join(userDir, 'scale.json'), badScale);
    writeJson(join(userDir, 'clash.json'), {
      ...benchDock({ id: 'dock-clash', variant: 'clash' }),
      registers: [
        {
          address: '0x0100',
          name: 'myId',
          label: 'Id',
          unit: '',
          scale: 1,
          access: 'R',
          safetyCritical: false,
          min: 0,
          max: 255,
        },
      ],
    });
    writeJson(
      join(userDir, 'block.json'),
      benchDock({ id: 'dock-block', variant: 'block', includes: [{ block: 'nope' }] }),
    );
    writeJson(join(userDir, 'format.json'), benchDock({ id: 'dock-format', variant: 'format', format: 2 }));
    writeFileSync(join(userDir, 'broken.json'), '{"format": 1,');
    const reversed = benchDock({ id: 'dock-range', variant: 'range' });
    (reversed.registers as Record<string, unknown>[])[0] = {
      ...(reversed.registers as Record<string, unknown>[])[0],
      min: 9,
      max: 2,
    };
    writeJson(join(userDir, 'range.json'), reversed);
    writeJson(
      join(userDir, 'access.json'),
      benchDock({
        id: 'dock-access',
        variant: 'access',
        registers: [
          {
            address: 64,
            name: 'x',
            label: 'X',
            unit: '',
            scale: 1,
            access: 'RO',
            safetyCritical: false,
            min: 0,
            max: 1,
          },
        ],
      }),
    );

    const catalog = await loadProfileCatalog({ shippedDir: SHIPPED_DIR, userDir });
    const problem = (name: string): string => catalog.problems.find((p) => p.file.endsWith(name))?.message ?? '';
    expect(catalog.problems).toHaveLength(7);
    expect(problem('scale.json')).toMatch(/scale\.json: registers\[1\]\.scale: .*>0/);
    expect(problem('clash.json')).toMatch(
      /clash\.json: registers\[0\]: address 0x0100 is also deviceId \(block identity\) \(omit it from the block/,
    );
    expect(problem('block.json')).toMatch(/block\.json: includes\[0\]\.block: there is no register block "nope"/);
    expect(problem('format.json')).toMatch(/format\.json: format: /);
    expect(problem('broken.json')).toMatch(/broken\.json: \(file\): not JSON/);
    expect(problem('range.json')).toMatch(/range\.json: registers\[0\]\.min: min 9 is above max 2/);
    expect(problem('access.json')).toMatch(/access\.json: registers\[0\]\.access: /);
    // The good file and every shipped map are still there.
    expect(catalog.profiles.map((p) => p.id)).toContain('dock-bench');
    expect(catalog.profiles.filter((p) => p.origin === 'shipped')).toHaveLength(7);
    expect(selectProfile(catalog, 'dock', { dock: 'bench' }).profile.origin).toBe('user');
  });

  it('keeps user edits apart: a copy overrides the shipped map, whose file is never touched', async () => {
    const userDir = join(temp(), 'rs485-profiles');
    const shippedFile = join(SHIPPED_DIR, 'profiles', 'power-code.json');
    const before = hashOf(shippedFile);
    const copy = await copyShippedToUser({ shippedDir: SHIPPED_DIR, userDir }, 'power-code');
    expect(copy).toBe(join(userDir, 'power-code.json'));
    const edited = JSON.parse(readFileSync(copy, 'utf8')) as Record<string, unknown>;
    expect(edited.basedOnVersion).toBe(1);
    // Hex stays hex in the copy, as the technician will read it.
    expect((edited.registers as { address: unknown }[])[0]?.address).toBe('0x0000');
    (edited.registers as { name: string; label: string }[])[0]!.label = 'Pack voltage (bench meter)';
    await saveUserProfile({ shippedDir: SHIPPED_DIR, userDir }, edited);

    const catalog = await loadProfileCatalog({ shippedDir: SHIPPED_DIR, userDir });
    const power = selectProfile(catalog, 'power').profile;
    expect(power.origin).toBe('user');
    expect(findRegister(power, 'packVoltage')?.label).toBe('Pack voltage (bench meter)');
    expect(catalog.shadowed.map((p) => p.id)).toEqual(['power-code']);
    expect(catalog.notices).toEqual([]);
    expect(hashOf(shippedFile)).toBe(before);
  });

  it('says when the shipped map moved on since the user copy was made', async () => {
    const shippedDir = join(temp(), 'shipped');
    cpSync(SHIPPED_DIR, shippedDir, { recursive: true });
    const userDir = join(temp(), 'rs485-profiles');
    await copyShippedToUser({ shippedDir, userDir }, 'safety-code');
    const file = join(shippedDir, 'profiles', 'safety-code.json');
    writeJson(file, { ...(JSON.parse(readFileSync(file, 'utf8')) as object), version: 2 });
    const catalog = await loadProfileCatalog({ shippedDir, userDir });
    expect(catalog.notices).toEqual([
      `${join(userDir, 'safety-code.json')} was edited from version 1 of safety-code; the shipped map is now version 2: compare them`,
    ]);
  });

  it('refuses to save into the shipped folder, and refuses an invalid edit before writing it', async () => {
    await expect(
      saveUserProfile({ shippedDir: SHIPPED_DIR, userDir: join(SHIPPED_DIR, 'profiles') }, benchDock()),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const userDir = join(temp(), 'rs485-profiles');
    const error = await saveUserProfile({ shippedDir: SHIPPED_DIR, userDir }, benchDock({ defaultAddress: 300 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/defaultAddress: /);
  });

  it('a broken shipped file is a broken build: loading fails naming it', async () => {
    const shippedDir = join(temp(), 'shipped');
    cpSync(SHIPPED_DIR, shippedDir, { recursive: true });
    writeJson(join(shippedDir, 'profiles', 'zz.json'), benchDock({ id: 'dock-code' }));
    await expect(loadProfileCatalog({ shippedDir })).rejects.toThrow(
      /zz\.json: profile id dock-code is used by two shipped files/,
    );
  });

  it('remembers the chosen variants', async () => {
    const userDir = join(temp(), 'rs485-profiles');
    expect(await readSelection(userDir)).toEqual({});
    await writeSelection(userDir, { travel: 'alternate', dock: 'handler' });
    expect(await readSelection(userDir)).toEqual({ travel: 'alternate', dock: 'handler' });
    // The selection file is not mistaken for a profile.
    const catalog = await loadProfileCatalog({ shippedDir: SHIPPED_DIR, userDir });
    expect(catalog.problems).toEqual([]);
  });
});
