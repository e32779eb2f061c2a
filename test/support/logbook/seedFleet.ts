import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { join } from 'node:path';

import type { Core } from '../../../electron/core/createCore';
import { staticKeyProvider } from '../../../electron/core/backup/store/keyProviders';
import { openBackupStore } from '../../../electron/core/backup/store/openBackupStore';
import { systemClock } from '../../../electron/core/ports/Clock';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { fleetReport } from './fleetHistory';

/*
 * A small fleet's history, written the way the product writes it: units added through the core, sweeps saved by
 * the history repository, a backup committed to the store and verified through the core, a procedure run with a
 * note escalated and signed through the core, register writes recorded in the audit log as the bus doctor records
 * them. Used by the logbook's node tests and its Chromium e2e.
 */

export const SEED_PASSPHRASE = 'logbook seed passphrase';
export const SEED_UNITS = ['unit-01', 'unit-02', 'unit-03'] as const;
export const SEED_NOTE = 'found the hoist bracket loose, tightened it to 40 Nm';
export const SEED_SIGNER = 'Tran Thi B';
const DAY = 86_400_000;

/** A backup of one unit in the data folder's store, through the store's own writer (before the core opens it). */
export async function seedBackup(dataDir: string, unit: string): Promise<string> {
  const store = await openBackupStore({
    dir: join(dataDir, 'backups'),
    clock: systemClock,
    logger: silentLogger,
    keyProvider: staticKeyProvider(SEED_PASSPHRASE),
    kdfCost: 10,
  });
  try {
    const writer = await store.beginBackup({ unit, profile: { id: 'default', version: 1 }, kind: 'backup' });
    const config = Buffer.from('center:\n  host: 10.10.0.2\nvehicle:\n  id: OHT-50\n');
    await writer.addFile(
      {
        path: '/opt/oht50/config/system.yaml',
        type: 'file',
        mode: 0o640,
        uid: 1001,
        gid: 1001,
        owner: 'oht',
        group: 'oht',
        mtimeMs: Date.parse('2026-10-01T08:00:00Z'),
        size: config.length,
      },
      Readable.from([config]),
    );
    return (await writer.commit()).id;
  } finally {
    await store.close();
  }
}

export type SeededFleet = { runIds: Record<string, string[]>; procedureRunId: string; backupId: string };

/**
 * Ten days of daily sweeps for three units (unit-02's firmware crashes twice, unit-03's E-Stop is pressed once),
 * two register writes, a verified backup of unit-01 and an escalated, signed run with a note on unit-01.
 */
export async function seedFleet(core: Core, backupId: string, nowMs = Date.now()): Promise<SeededFleet> {
  const runIds: Record<string, string[]> = {};
  for (const name of SEED_UNITS) {
    await core.dispatch('units.add', {
      name,
      host: `${name}.fleet.local`,
      user: 'oht',
      auth: { kind: 'password', passwordEnv: 'OHT_PASSWORD' },
    });
    runIds[name] = [];
  }
  for (let day = 10; day >= 1; day -= 1) {
    for (const [i, name] of SEED_UNITS.entries()) {
      const crash = name === 'unit-02' && (day === 8 || day === 3);
      const estop = name === 'unit-03' && day === 5;
      const runId = randomUUID();
      core.history.saveDiagnosis(
        fleetReport(
          name,
          nowMs - day * DAY + i * 60_000,
          { seq: day, firmwareFailed: crash, estopPressed: estop },
          runId,
        ),
      );
      runIds[name]?.push(runId);
    }
  }
  for (const [slave, value] of [
    [2, '24.5 V'],
    [3, '1'],
  ] as const) {
    core.history.appendAudit({
      actor: 'binh',
      unit: 'unit-02',
      action: 'rs485.write',
      outcome: 'ok',
      details: {
        module: slave === 2 ? 'power' : 'safety',
        slave,
        profile: 'power-code@1',
        register: slave === 2 ? 'chargerVoltageSet' : 'resetErrors',
        address: slave === 2 ? '0x0030' : '0x0109',
        safetyCritical: slave === 3,
        confirmed: true,
        oldRaw: 252,
        oldText: '25.2 V',
        newRaw: 245,
        newText: value,
        message: 'written and read back',
      },
    });
  }
  await expectOk(core.dispatch('backup.verify', { backupId }, { actor: 'an' }));
  const started = await expectOk(
    core.dispatch('procedures.start', { procedureId: 'escalation.matrix', units: ['unit-01'] }, { actor: 'an' }),
  );
  const runId = (started as { runId: string }).runId;
  const step = (stepId: string, answer: unknown) =>
    expectOk(core.dispatch('procedures.run.step', { runId, stepId, answer }, { actor: 'an' }));
  await step('levels', { kind: 'ack' });
  await step('describe', { kind: 'manual', confirmed: true, note: SEED_NOTE });
  await step('level', { kind: 'decision', option: 'level-2' });
  await step('level-2', { kind: 'escalate', note: 'called the shift lead' });
  await expectOk(core.dispatch('procedures.run.sign', { runId, name: SEED_SIGNER }, { actor: 'an' }));
  return { runIds, procedureRunId: runId, backupId };
}

async function expectOk(envelope: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<unknown> {
  const result = await envelope;
  if (!result.ok) {
    throw new Error(`seed call failed: ${JSON.stringify(result.error)}`);
  }
  return result.value;
}
