import type { ModuleType } from '../../../shared/domain/rs485Profile';
import { isAppError } from '../../../shared/errors/AppError';
import type { WritePlanView, WriteResultView } from '../../../shared/ipc/contracts/rs485';
import { boolOption, stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import type { CliSession } from '../openCore';
import { requireNumber } from './rs485Read';
import { identifiedLine, planJson, resultJson, typeOption } from './rs485Safe';
import { busFrom, withBus, withSession, type CliBus, type Rs485SessionDeps } from './rs485Session';

/**
 * `ohtw rs485 write`: the core's safe write, as the bus page makes it: planned (rs485.planWrite: old → new, or why
 * not), applied by the plan's id with --yes as the confirmation (rs485.applyWrite), read back, verified and recorded
 * in the audit log by the core. A refused plan is applied too, so that the refusal is recorded; nothing is sent.
 */

type WriteRequest = {
  slave: number;
  register: string;
  value: string;
  type: ModuleType | undefined;
  yes: boolean;
  json: boolean;
};

function writeRequest(parsed: Parsed): WriteRequest {
  const slave = requireNumber(parsed, 'slave', 1, 247);
  const register = stringOption(parsed, 'register');
  if (register === undefined || register.trim() === '') {
    throw new UsageError('--register is required (an address such as 0x0030, or the name in the register map)');
  }
  const value = stringOption(parsed, 'value');
  if (value === undefined || value.trim() === '') {
    throw new UsageError("--value is required (in the register's units, a raw 0x word, or an enum name)");
  }
  return {
    slave,
    register: register.trim(),
    value: value.trim(),
    type: typeOption(parsed),
    yes: boolOption(parsed, 'yes'),
    json: boolOption(parsed, 'json'),
  };
}

/** The plan, or why the slave cannot be told which module it is (then nothing is planned, nothing written). */
async function planOrRefuse(
  session: CliSession,
  busId: string,
  request: WriteRequest,
): Promise<WritePlanView | { unidentified: string; typeRaw: number | null }> {
  const { slave, register, value, type } = request;
  try {
    return await session.api.call('rs485.planWrite', { busId, slave, register, value, ...(type ? { type } : {}) });
  } catch (error) {
    const details = isAppError(error) ? error.details : undefined;
    if (isAppError(error) && error.code === 'PRECONDITION_FAILED' && details?.slave === request.slave) {
      const typeRaw = typeof details.typeRaw === 'number' ? details.typeRaw : null;
      return { unidentified: error.message, typeRaw };
    }
    throw error;
  }
}

function showPlan(io: CliIo, plan: WritePlanView): void {
  io.out(identifiedLine(plan));
  for (const note of plan.identity.notes) {
    io.out(`(${note})`);
  }
  if (plan.refused === undefined) {
    io.out(`Plan: ${plan.summary}`);
  }
}

function showResult(io: CliIo, bus: CliBus, plan: WritePlanView, result: WriteResultView, json: boolean): void {
  const confirmed = plan.refused === undefined && plan.needsConfirmation;
  if (json) {
    const confirmedBy = confirmed ? { confirmedBy: '--yes' } : {};
    io.out(JSON.stringify({ port: bus.port, plan: planJson(plan), ...confirmedBy, ...resultJson(result) }, null, 2));
    return;
  }
  if (confirmed) {
    io.out(`${plan.register?.label ?? 'This register'} is safety-critical: the write was confirmed by --yes.`);
  }
  const raw = result.readBack ? ` (raw ${result.readBack.raw}, ${result.readBack.rawHex})` : '';
  const trail = `audit log entry #${result.audit.seq} by ${result.audit.actor}`;
  io.out(
    plan.refused !== undefined
      ? `Refused: ${plan.summary}; nothing written (${trail}).`
      : result.outcome === 'ok'
        ? `Done: ${result.message}${raw}; ${trail}.`
        : `${result.outcome === 'refused' ? 'Refused' : 'FAILED'}: ${result.message}${raw}; ${trail}.`,
  );
}

export async function writeCommand(parsed: Parsed, io: CliIo, deps: Rs485SessionDeps): Promise<number> {
  const bus = busFrom(parsed);
  const request = writeRequest(parsed);
  const { slave, yes, json } = request;
  return withSession(parsed, io, deps, (session) =>
    withBus(session, bus, async ({ busId }) => {
      const plan = await planOrRefuse(session, busId, request);
      if ('unidentified' in plan) {
        const message = `Refused: nothing written to slave ${slave} on ${bus.port}: ${plan.unidentified}`;
        const refusal = { outcome: 'refused', message, typeRaw: plan.typeRaw };
        io.out(json ? JSON.stringify(refusal, null, 2) : message);
        return 1;
      }
      if (!json) {
        showPlan(io, plan);
      }
      if (plan.refused === undefined && !yes) {
        if (json) {
          io.out(JSON.stringify({ port: bus.port, plan: planJson(plan), outcome: 'not-confirmed' }, null, 2));
        }
        throw new UsageError(
          `refusing to write to slave ${slave} without --yes; nothing written ` +
            '(a register write changes how the module behaves: check the plan, then add --yes)',
        );
      }
      const result = await session.api.call('rs485.applyWrite', { planId: plan.planId, confirm: yes });
      showResult(io, bus, plan, result, json);
      return result.outcome === 'ok' ? 0 : 1;
    }),
  );
}
