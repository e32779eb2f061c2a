import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Procedure, ProcedureStep } from '../../../shared/domain/procedure';
import type { WorkstationApi } from '../../../shared/ipc/api';
import type { RunView, StepAnswer } from '../../../shared/ipc/contracts/procedureRuns';
import { findingsOf, withProcedures } from '../../../electron/core/diagnostics/findings';
import { CHECK_MODULES } from '../../../electron/core/diagnostics/modules';
import { ProcedureLibrary, shippedProceduresDir } from '../../../electron/core/procedures/library/ProcedureLibrary';
import { procedureAdvisor } from '../../../electron/core/procedures/library/advisor';
import { SIM_FAULTS } from '../../../electron/sim/simFaults';
import type { SimFleet, SimUnitInfo } from '../../../electron/sim/SimServer';
import { SimVehicle } from '../../../electron/sim/SimVehicle';
import { SIM_USERS } from '../../../electron/sim/simTree';
import { RESOURCES_DIR } from '../../support/appLayout';
import { startSimCore, type SimCore } from '../../support/sim/simCore';
import { simVehicle, sweepSim } from '../../support/sim/simSweep';

/*
 * Every shipped procedure walked end to end on a simulated unit, as a technician who does what each step asks would:
 * once on the vehicle of each fault whose finding starts from it, once on a healthy vehicle for the others. A walk
 * never skips a step, never stops at a failed check, and ends completed (or escalated where the procedure is the
 * escalation itself).
 */

const library = new ProcedureLibrary({ shippedDir: shippedProceduresDir(RESOURCES_DIR) });
const advise = procedureAdvisor(library);
/**
 * Procedures whose purpose is to hand the problem over: their walk ends escalated. The escalation matrix is the
 * hand-over itself; a security incident always reaches level 4, the CTO, whatever was found (runbook, Escalation
 * Matrix › Level 4: "security incidents").
 */
const ESCALATING = new Set(['escalation.matrix', 'security.data-breach', 'security.unauthorized-access']);
/**
 * The one walk that still stops, and why it must: a firmware whose API answers garbage cannot say whether the vehicle
 * stands still, and while its service runs the vehicle.stopped gate stays red, so no service may be restarted from
 * the workstation (the gate is not overridable by design). The test fails on any other dead end, and on this one once
 * it no longer happens.
 */
const KNOWN_DEAD_ENDS: Record<string, string> = {
  'troubleshooting.api-not-responding on firmware-garbage': 'restart-backend',
};
/** The module types at the bus addresses of the firmware (vehicle facts §1.4), as the simulated bus names them. */
const BUS_MODULE_TYPES: Record<number, 'power' | 'safety' | 'travel' | 'dock'> = {
  2: 'power',
  3: 'safety',
  4: 'travel',
  5: 'dock',
};
/** A walk that has not ended after this many answers goes round in circles. */
const MAX_ANSWERS = 80;

/** The faults whose finding preselects each procedure (what its Fix… opens). */
async function faultsByProcedure(): Promise<Map<string, string[]>> {
  const byProcedure = new Map<string, string[]>();
  for (const fault of SIM_FAULTS) {
    const vehicle = simVehicle();
    fault.inject(vehicle);
    const findings = await withProcedures(findingsOf(await sweepSim(vehicle, CHECK_MODULES)), advise);
    const id = findings[0]?.procedure?.id;
    if (id) {
      byProcedure.set(id, [...(byProcedure.get(id) ?? []), fault.id]);
    }
  }
  return byProcedure;
}

/** The step a decision's option leads to: the end, or a step id. */
function optionTarget(procedure: Procedure, step: ProcedureStep, option: string): string | null {
  if (step.kind !== 'decision') {
    return null;
  }
  const next = step.options.find((o) => o.id === option)?.next;
  return typeof next === 'string' ? next : null;
}

/**
 * The option a technician who fixed the fault picks: one that goes on to a step not yet done and is not a hand-over,
 * else the one that ends the run.
 */
function pickOption(procedure: Procedure, view: RunView): string {
  const step = procedure.steps.find((s) => s.id === view.current?.stepId);
  const done = new Set(view.attempts.map((a) => a.stepId));
  const options = view.current?.options ?? [];
  const score = (id: string): number => {
    const target = optionTarget(procedure, step as ProcedureStep, id);
    const kind = procedure.steps.find((s) => s.id === target)?.kind;
    if (target === null || target === '$end') {
      return 1;
    }
    if (kind === 'escalate' || done.has(target)) {
      return 0;
    }
    return 2;
  };
  const best = [...options].sort((a, b) => score(b.id) - score(a.id))[0];
  return best?.id ?? '';
}

/** A walk that stops at a step it cannot get past. */
class DeadEnd extends Error {
  constructor(
    readonly stepId: string,
    message: string,
  ) {
    super(message);
  }
}

const FILE = { name: 'photo.txt', mediaType: 'text/plain', contentBase64: Buffer.from('cabinet').toString('base64') };

/**
 * A decision a technician answers from what the vehicle shows rather than by going on to a step not yet done: the
 * install folder's listing says whether its folders belong to the service user.
 */
function readAnswer(procedure: Procedure, view: RunView, unit: SimUnitInfo): string | null {
  if (`${procedure.id} ${view.current?.stepId}` === 'troubleshooting.service-wont-start ownership') {
    const meta = unit.vehicle.state.fileMeta;
    const serviceFolders = ['/opt/oht50', '/opt/oht50/backend', '/opt/oht50/config', '/opt/oht50/data'];
    return serviceFolders.every((path) => meta[path]?.uid === SIM_USERS.oht) ? 'no' : 'yes';
  }
  return null;
}

function answerFor(procedure: Procedure, view: RunView, unit: SimUnitInfo): StepAnswer {
  const current = view.current!;
  switch (current.kind) {
    case 'info':
      return { kind: 'ack' };
    case 'check':
      return { kind: 'run' };
    case 'action':
      return current.destructive ? { kind: 'confirm', typedConfirmation: unit.name } : { kind: 'confirm' };
    case 'manual':
      return {
        kind: 'manual',
        confirmed: true,
        note: 'done as asked',
        attachments: current.attachmentRequired ? [FILE] : [],
      };
    case 'decision':
      return { kind: 'decision', option: readAnswer(procedure, view, unit) ?? pickOption(procedure, view) };
    case 'checklist':
      return {
        kind: 'checklist',
        items: current.items.map((item) => ({ id: item.id, answer: 'done', note: 'checked' })),
        attachments: current.items.some((i) => i.attachmentRequired) ? [FILE] : [],
        note: 'all checked',
      };
    case 'escalate':
      return { kind: 'escalate', note: 'handed over' };
    default:
      throw new Error(`no answer for a ${String(current.kind)} step`);
  }
}

describe('every shipped procedure walked end to end on a simulated unit', () => {
  let started: SimCore | undefined;
  let sim: SimFleet;
  let api: WorkstationApi;
  let unit: SimUnitInfo;
  let byProcedure: Map<string, string[]>;

  beforeAll(async () => {
    started = await startSimCore({
      tempPrefix: 'ohtw-walk-',
      core: { env: { OHTW_PASSPHRASE: 'sim passphrase', OHTW_RESTORE_SETTLE_MS: '0' } },
    });
    ({ sim, api } = started);
    unit = sim.units[0]!;
    byProcedure = await faultsByProcedure();
  }, 120_000);

  afterAll(async () => {
    await started?.close();
  });

  /**
   * What the technician does with their own hands where a step asks it, before answering it: on the simulated vehicle
   * through the simulator's own controls (as a trainer's fault panel acts), never through the product. The E-Stop is
   * pulled back out before saying it is released; the laptop's adapter is plugged into the module bus (a simulated bus
   * with the vehicle's silent modules missing); the wiring fault is found and mended; a restore is done in the restore
   * wizard (the Backups page's calls) before its step records it.
   */
  async function handsOn(procedure: Procedure, stepId: string, answer: StepAnswer): Promise<void> {
    const option = answer.kind === 'decision' ? ` ${answer.option}` : '';
    const step = procedure.steps.find((s) => s.id === stepId);
    if (step?.kind === 'action' && 'operation' in step && step.operation === 'restore.unit') {
      // The restore wizard, as the step asks: the unit's newest backup, its dry run read, then confirmed.
      const [newest] = await api.call('backup.list', { unit: unit.name, kind: 'backup' });
      const plan = await api.call('restore.plan', { name: unit.name, backupId: newest!.id });
      await api.call('restore.run', { name: unit.name, backupId: plan.backupId, confirm: true });
      return;
    }
    switch (`${procedure.id} ${stepId}${option}`) {
      case 'emergency.estop pressed released':
        unit.vehicle.releaseEstop();
        break;
      case 'emergency.communication-failure adapter': {
        const missing = unit.vehicle.state.rs485.modules.flatMap((m) => {
          const type = BUS_MODULE_TYPES[m.address];
          return !m.online && type !== undefined ? [type] : [];
        });
        await api.call('rs485.sim.start', { connect: true, faults: { missing } });
        break;
      }
      case 'troubleshooting.service-wont-start fix':
        // The cause the journal showed: the bad configuration line is corrected.
        unit.vehicle.fixConfig('backend');
        unit.vehicle.fixConfig('firmware');
        break;
      case 'emergency.communication-failure wiring':
        for (const module of unit.vehicle.state.rs485.modules) {
          unit.vehicle.moduleOnline(module.address);
        }
        unit.vehicle.busErrors(0, 0);
        break;
      default:
        break;
    }
  }

  /** Unplugs the adapter of the walk before: each walk starts with no bus open on the laptop. */
  async function unplugBuses(): Promise<void> {
    for (const bus of await api.call('rs485.buses', {})) {
      await api.call('rs485.release', { busId: bus.busId });
    }
    for (const sim of await api.call('rs485.sim.list', {})) {
      await api.call('rs485.sim.stop', { simId: sim.simId });
    }
  }

  /** Walks one procedure on the unit as it is now; returns the finished run. */
  async function walk(procedure: Procedure): Promise<RunView> {
    // The technician gives every value the procedure asks for: a blocked address from the documentation range.
    const params = Object.fromEntries(
      procedure.parameters.map((p) => [p.name, String(p.default ?? (p.type === 'ipv4' ? '203.0.113.7' : 'sample'))]),
    );
    let view = await api.call('procedures.start', { procedureId: procedure.id, units: [unit.name], params });
    for (let answers = 0; view.state === 'running' && answers < MAX_ANSWERS; answers += 1) {
      const current = view.current!;
      const before = view.attempts.length;
      const answer = answerFor(procedure, view, unit);
      await handsOn(procedure, current.stepId, answer);
      view = await api.call('procedures.run.step', { runId: view.runId, stepId: current.stepId, answer });
      const last = view.attempts.slice(before).at(-1);
      // A dead end: the run waits at the step it just tried because it failed or was blocked.
      if (view.current?.stepId === current.stepId && last && (last.status === 'failed' || last.status === 'blocked')) {
        const said = `${last.outcome.message} ${last.outcome.gates.map((g) => JSON.stringify(g)).join(' ')}`;
        throw new DeadEnd(current.stepId, `${last.status}: ${said}\n${last.outcome.output.slice(0, 800)}`);
      }
    }
    return view;
  }

  /** The unit as it left the factory again: the state of a new simulated vehicle of its name. */
  const resetVehicle = (): void => {
    Object.assign(unit.vehicle.state, new SimVehicle({ name: unit.name, variant: unit.vehicle.variant }).state);
  };

  it('walks each procedure on the vehicle of every fault it is the fix of, and the others on a healthy vehicle', async () => {
    const walked: string[] = [];
    const deadEnds: Record<string, string> = {};
    const why: string[] = [];
    for (const summary of await library.list()) {
      const { procedure } = await library.get(summary.id);
      const faults = byProcedure.get(procedure.id) ?? [null];
      for (const fault of faults) {
        resetVehicle();
        await unplugBuses();
        if (fault !== null) {
          SIM_FAULTS.find((f) => f.id === fault)!.inject(unit.vehicle);
        }
        const label = `${procedure.id} on ${fault ?? 'a healthy vehicle'}`;
        walked.push(label);
        try {
          const view = await walk(procedure);
          const ended = ESCALATING.has(procedure.id) ? 'escalated' : 'completed';
          const skipped = view.attempts.filter((a) => a.status === 'skipped').map((a) => a.stepId);
          if (view.state !== ended || skipped.length > 0) {
            deadEnds[label] = view.current?.stepId ?? `(${view.state})`;
            const trail = view.attempts.map((a) => `  ${a.stepId} ${a.status}: ${a.outcome.message}`).join('\n');
            why.push(`${label}: ended ${view.state}, skipped [${skipped.join(', ')}]\n${trail}`);
          }
        } catch (error) {
          if (!(error instanceof DeadEnd)) {
            throw error;
          }
          deadEnds[label] = error.stepId;
          why.push(`${label}: stops at ${error.stepId}: ${error.message}`);
        }
      }
    }
    // Every fault was walked with the procedure it opens, and every procedure at least once.
    expect(walked.length).toBeGreaterThanOrEqual(SIM_FAULTS.length);
    // No other walk stops short: every procedure runs to its end, without a skip.
    expect(deadEnds, why.join('\n')).toEqual(KNOWN_DEAD_ENDS);
    // The walk this issue was filed on: a crashed service, System down, through to its end.
    expect(walked).toEqual(expect.arrayContaining(['emergency.system-down on firmware-crashed']));
  }, 600_000);
});
