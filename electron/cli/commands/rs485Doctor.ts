/**
 * `ohtw rs485 diagnose`, `stop-firmware` and `sim`: the bus doctor's diagnosis through the core (the same calls the
 * bus page makes), the gated firmware stop, and the simulated module bus for training.
 */
import { exitCodeForLevel } from '../../../shared/domain/health';
import { MODULE_TYPES, type ModuleType } from '../../../shared/domain/rs485Profile';
import { isAppError } from '../../../shared/errors/AppError';
import { MODULE_LABELS } from '../../../shared/domain/rs485Text';
import { SimFaultsSchema, type SimFaultsInput } from '../../../shared/ipc/contracts/rs485';
import { boolOption, decimalInteger, stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import { formatReport } from '../format';
import type { CliIo } from '../io';
import { withBus, withSession, type CliBus, type Rs485SessionDeps } from './rs485Session';

function unitOption(parsed: Parsed): string | undefined {
  const unit = stringOption(parsed, 'unit');
  if (unit !== undefined && unit.trim() === '') {
    throw new UsageError('--unit needs a unit name (see: ohtw units list)');
  }
  return unit?.trim();
}

// ---- diagnose ----

/** Exit codes as `ohtw diagnose`: 0 OK, 1 WARN, 2 ERROR, 3 STALE (a module that did not answer). */
export async function diagnoseBusCommand(
  parsed: Parsed,
  io: CliIo,
  bus: CliBus,
  deps: Rs485SessionDeps,
): Promise<number> {
  const unit = unitOption(parsed);
  const json = boolOption(parsed, 'json');
  return withSession(parsed, io, deps, (session) =>
    withBus(session, bus, async ({ busId }) => {
      const report = await session.api.call('rs485.diagnose', { busId, ...(unit ? { unit } : {}) });
      if (json) {
        io.out(JSON.stringify(report, null, 2));
      } else {
        io.out(formatReport(report));
        if (unit) {
          io.out(`(stored in the history of ${unit}: ohtw history ${unit})`);
        }
      }
      const master = report.checks.find((c) => c.id === 'rs485.offline.master');
      if (unit && master?.level === 'WARN') {
        io.err(
          `ohtw: warning: ${master.message}.\n` +
            `  Stop it first (confirmed, audited): ohtw rs485 stop-firmware --unit ${unit} --yes\n` +
            '  or go on only on a bench bus with the vehicle computer disconnected.',
        );
      }
      return exitCodeForLevel(report.level);
    }),
  );
}

// ---- stop-firmware ----

export async function stopFirmwareCommand(parsed: Parsed, io: CliIo, deps: Rs485SessionDeps): Promise<number> {
  const unit = unitOption(parsed);
  if (unit === undefined) {
    throw new UsageError('--unit NAME is required: the unit whose firmware service polls the bus');
  }
  const yes = boolOption(parsed, 'yes');
  const json = boolOption(parsed, 'json');
  return withSession(parsed, io, deps, async (session) => {
    if (!yes) {
      // Asked without --yes: say what it would do; the refusal is recorded like any other.
      const assessment = await session.api.call('rs485.secondMaster', { unit });
      const stop = assessment.stopFirmware;
      if (stop) {
        io.out(`${stop.title}: ${stop.commands.join('; ')}\n${stop.consequences}\nUndo: ${stop.undo.join('; ')}`);
      } else {
        io.out(assessment.check.message);
      }
      try {
        await session.api.call('rs485.stopFirmware', { unit, confirm: false });
      } catch (error) {
        if (!isAppError(error) || error.code !== 'CONFIRMATION_REQUIRED') {
          throw error;
        }
      }
      throw new UsageError(`refusing to stop ${assessment.firmwareService} on ${unit} without --yes; nothing stopped`);
    }
    const result = await session.api.call('rs485.stopFirmware', { unit, confirm: true });
    if (json) {
      io.out(JSON.stringify(result, null, 2));
    } else {
      io.out(`${result.stopped ? 'Done' : 'FAILED'}: ${result.message}; audit log entry #${result.audit.seq}.`);
      io.out(`When the work on the bus is done: ${result.undo.join('; ')}`);
    }
    return result.stopped ? 0 : 1;
  });
}

// ---- sim ----

const isModuleType = (value: string): value is ModuleType => (MODULE_TYPES as readonly string[]).includes(value);

function moduleList(text: string | undefined, fault: string): ModuleType[] {
  const names = (text ?? '').split(',').filter((n) => n !== '');
  const bad = names.find((n) => !isModuleType(n));
  if (names.length === 0 || bad !== undefined) {
    throw new UsageError(`--fault ${fault}: name modules from ${MODULE_TYPES.join(', ')}`);
  }
  return names.filter(isModuleType);
}

/**
 * `--fault estop | low-battery | missing:TYPE[,TYPE] | noise:N[:TYPE,…] | slow:TYPE:MS | ignore-writes:TYPE[,TYPE]`,
 * as many as wanted.
 */
export function parseSimFaults(values: readonly string[]): SimFaultsInput {
  const faults: SimFaultsInput = {};
  for (const value of values) {
    const [kind, a, b] = value.split(':');
    switch (kind) {
      case 'estop':
        faults.estopPressed = true;
        break;
      case 'low-battery':
        faults.lowBattery = true;
        break;
      case 'missing':
        faults.missing = [...(faults.missing ?? []), ...moduleList(a, value)];
        break;
      case 'ignore-writes':
        faults.ignoreWrites = [...(faults.ignoreWrites ?? []), ...moduleList(a, value)];
        break;
      case 'noise': {
        const everyNth = decimalInteger(a);
        if (everyNth === null || everyNth < 1 || everyNth > 1000) {
          throw new UsageError(`--fault ${value}: noise:N garbles every Nth reply, N from 1 to 1000`);
        }
        faults.noise = { everyNth, ...(b !== undefined ? { modules: moduleList(b, value) } : {}) };
        break;
      }
      case 'slow': {
        const ms = decimalInteger(b);
        if (a === undefined || !isModuleType(a) || ms === null || ms < 0 || ms > 10_000) {
          throw new UsageError(`--fault ${value}: slow:TYPE:MS, e.g. slow:power:80 (0 to 10000 ms)`);
        }
        faults.slowMs = { ...faults.slowMs, [a]: ms };
        break;
      }
      default:
        throw new UsageError(
          `unknown --fault "${value}": estop, low-battery, missing:TYPE, noise:N[:TYPE], slow:TYPE:MS, ignore-writes:TYPE`,
        );
    }
  }
  return SimFaultsSchema.parse(faults);
}

function describeFaults(faults: SimFaultsInput): string {
  const parts: string[] = [];
  if (faults.estopPressed) {
    parts.push('E-Stop pressed');
  }
  if (faults.lowBattery) {
    parts.push('battery low and under-voltage');
  }
  if (faults.missing?.length) {
    parts.push(`missing: ${faults.missing.join(', ')}`);
  }
  if (faults.noise) {
    parts.push(
      `noisy line: every ${faults.noise.everyNth}th reply garbled (${faults.noise.modules?.join(', ') ?? 'all modules'})`,
    );
  }
  for (const [type, ms] of Object.entries(faults.slowMs ?? {})) {
    parts.push(`${type} slow by ${ms} ms`);
  }
  if (faults.ignoreWrites?.length) {
    parts.push(`ignoring writes: ${faults.ignoreWrites.join(', ')}`);
  }
  return parts.length === 0 ? 'no faults' : parts.join('; ');
}

/** The simulated bus of the core (rs485.sim.start) until Ctrl-C; stopped with the core. */
export async function simBusCommand(parsed: Parsed, io: CliIo, deps: Rs485SessionDeps): Promise<number> {
  const raw = parsed.values['fault'];
  const faults = parseSimFaults(Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []);
  const link = stringOption(parsed, 'link');
  const json = boolOption(parsed, 'json');
  return withSession(parsed, io, deps, async (session) => {
    const { sim } = await session.api.call('rs485.sim.start', { faults, ...(link ? { link } : {}) });
    try {
      const { port, modules } = sim;
      if (json) {
        io.out(JSON.stringify({ port, modules, faults }));
      } else {
        io.out(`Simulated RS485 bus on ${port}`);
        io.out(
          `  modules: ${modules.map((m) => `${MODULE_LABELS[m.type]} 0x${m.address.toString(16).padStart(2, '0')}`).join(', ')}`,
        );
        io.out(`  faults: ${describeFaults(faults)}`);
        io.out(`Try: npx ohtw rs485 scan --port ${port} --from 1 --to 8`);
        io.out(`     npx ohtw rs485 diagnose --port ${port}`);
        io.out('Press Ctrl-C to stop.');
      }
      await io.waitForStop();
      return 0;
    } finally {
      await session.api.call('rs485.sim.stop', { simId: sim.simId });
    }
  });
}
