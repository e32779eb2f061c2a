import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseProcedure, type Procedure } from '../../../../shared/domain/procedure';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../../shared/domain/unit';
import { OperationRegistry } from '../../../../electron/core/procedures/operations/registry';
import { actionPlan, checkPlan } from '../../../../electron/core/procedures/runner/execute';

const DIR = join(process.cwd(), 'resources', 'procedures');

const UNIT: Unit = {
  name: 'unit-07',
  host: '192.168.1.100',
  port: 22,
  user: 'orangepi',
  auth: { kind: 'key', keyPath: '/k' },
  profile: DEFAULT_VEHICLE_PROFILE,
  hostKey: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLevel: null,
  lastRunAt: null,
};

function shipped(): Procedure[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      const parsed = parseProcedure(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
      if (!parsed.ok) {
        throw new Error(`${file}: ${JSON.stringify(parsed.problems)}`);
      }
      return parsed.procedure;
    });
}

/** Placeholder values for a procedure's parameters, of the type each declares. */
function sampleParams(procedure: Procedure): Record<string, string> {
  const samples = { text: 'sample', integer: '7', ipv4: '10.0.0.9', host: 'center.local', path: '/opt/oht50' };
  return Object.fromEntries(procedure.parameters.map((p) => [p.name, String(p.default ?? samples[p.type])]));
}

describe('the shipped procedures as the run engine sees them', () => {
  const registry = new OperationRegistry({ firmwareToken: 'token' });

  it('every check step names a check the diagnosis reports, or a command it can send', () => {
    for (const procedure of shipped()) {
      for (const step of procedure.steps) {
        if (step.kind === 'check') {
          const plan = checkPlan(step, UNIT, sampleParams(procedure));
          expect({
            where: `${procedure.id}/${step.id}`,
            available: plan.available,
            why: plan.unavailableReason,
          }).toEqual({
            where: `${procedure.id}/${step.id}`,
            available: true,
            why: null,
          });
        }
      }
    }
  });

  it('every action is planned before it runs; an operation this build lacks says why instead of pretending', () => {
    const unavailable = new Set<string>();
    for (const procedure of shipped()) {
      for (const step of procedure.steps) {
        if (step.kind === 'action') {
          const plan = actionPlan(step, UNIT, sampleParams(procedure), registry);
          if (plan.available) {
            expect(plan.commands.length, `${procedure.id}/${step.id}`).toBeGreaterThan(0);
          } else {
            expect(plan.unavailableReason, `${procedure.id}/${step.id}`).toMatch(/not available/);
            unavailable.add('operation' in step ? step.operation : 'command');
          }
        }
      }
    }
    // Backups, restores and the RS485 scan are lent by their features once those are in the core.
    expect([...unavailable].every((name) => /^(backup|restore|rs485)\./.test(name))).toBe(true);
  });
});
