import { judgedLevel, type CheckResult, type HealthLevel } from '../../../shared/domain/health';
import { WELL_KNOWN, type RegisterDef } from '../../../shared/domain/rs485Profile';
import type { Said } from '../../../shared/domain/said';
import { said, say } from '../../../shared/domain/words';
import { RUNBOOK } from '../diagnostics/runbook';
import type { ModbusMaster, RequestOptions } from './modbusTypes';
import { describeFailure, isException, isModbusFailure, readRegisters, type BusModule } from './moduleRegisters';
import { failureSaid, findByName, line, offlineId } from './offlineWords';
import { hex } from './profiles';

/**
 * rs485.offline.<module>.presence: does the module answer its identity read, as the module it should be? Read as the
 * firmware's scan reads it (the device id, else 0x0000), then its type and firmware version for the evidence.
 */

export type Presence = { answered: boolean; check: CheckResult };

type Probe = { id: string; module: BusModule; label: Said; request: RequestOptions; evidence: string[] };

export async function checkPresence(
  master: ModbusMaster,
  module: BusModule,
  label: Said,
  request: RequestOptions,
): Promise<Presence> {
  const id = offlineId(module.type, 'presence');
  const profile = module.profile;
  const deviceId = findByName(profile, WELL_KNOWN.deviceId);
  const probe = deviceId ?? profile.registers.find((r) => r.access !== 'W');
  if (!probe) {
    return {
      answered: false,
      check: { id, level: 'STALE', ...said('bus.noRegister', { label, map: profile.id }), evidence: '' },
    };
  }
  const at: Probe = { id, module, label, request, evidence: [] };
  let answeredWith: number | undefined;
  try {
    answeredWith = (await master.readHoldingRegisters(module.address, probe.address, 1, request))[0];
    at.evidence.push(`FC03 ${hex(probe.address)} ${probe.name} → ${answeredWith ?? '?'}`);
  } catch (error) {
    if (!isModbusFailure(error)) {
      throw error;
    }
    at.evidence.push(`FC03 ${hex(probe.address)} ${probe.name} → ${describeFailure(error)}`);
    return probeFailed(master, at, probe, error);
  }
  return identified(master, at, deviceId ? answeredWith : undefined);
}

/** The identity read failed: a refusal still means something answers; silence means the module is absent. */
async function probeFailed(master: ModbusMaster, at: Probe, probe: RegisterDef, error: unknown): Promise<Presence> {
  const { id, module, label, request, evidence } = at;
  // As the firmware's scan does: a module without 0x0100 may still answer 0x0000.
  if (isException(error) && probe.address !== 0) {
    try {
      await master.readHoldingRegisters(module.address, 0, 1, request);
      evidence.push('FC03 0x0000 → answered');
      return {
        answered: true,
        check: {
          id,
          level: 'WARN',
          ...said('bus.wrongModule', {
            label,
            address: hex(probe.address),
            register: probe.label,
            map: module.profile.id,
          }),
          evidence: evidence.join('\n'),
          runbook: RUNBOOK.communication,
        },
      };
    } catch (second) {
      if (!isModbusFailure(second)) {
        throw second;
      }
      evidence.push(`FC03 0x0000 → ${describeFailure(second)}`);
    }
  }
  const answeredAtAll = isException(error);
  const policy = say('bus.policy', { action: module.profile.policy.action });
  return {
    answered: answeredAtAll,
    check: {
      id,
      level: answeredAtAll ? 'WARN' : 'STALE',
      ...(answeredAtAll
        ? said('bus.refusesIdentity', { label, failure: failureSaid(error) })
        : said('bus.absent', { label, failure: failureSaid(error), policy })),
      evidence: evidence.join('\n'),
      runbook: RUNBOOK.communication,
    },
  };
}

/** The module answered: what its device id, type and firmware registers say, and whether they agree with the map. */
async function identified(master: ModbusMaster, at: Probe, deviceIdSaid: number | undefined): Promise<Presence> {
  const { id, module, label, request, evidence } = at;
  const profile = module.profile;
  const typeRegister = findByName(profile, WELL_KNOWN.moduleType);
  const firmware = findByName(profile, 'firmwareVersion');
  const findings: { level: HealthLevel; text: Said }[] = [];
  if (deviceIdSaid !== undefined && deviceIdSaid !== module.address) {
    findings.push({ level: 'WARN', text: say('bus.idDisagrees', { said: deviceIdSaid, address: module.address }) });
  }
  const facts: Said[] = [];
  const extra = [typeRegister, firmware].filter((r): r is RegisterDef => r !== undefined);
  const extraReads = await readRegisters(master, module.address, extra, { ...request, retries: 1 });
  if (typeRegister) {
    const read = extraReads.get(typeRegister.address);
    if (read && 'decoded' in read) {
      evidence.push(line(read.decoded));
      if (profile.typeCode !== undefined && read.decoded.raw !== profile.typeCode) {
        findings.push({
          level: 'WARN',
          text: say('bus.typeDisagrees', { said: read.decoded.text, expected: profile.typeCode }),
        });
      } else {
        facts.push(say('bus.typeIs', { type: read.decoded.meaning ?? read.decoded.text }));
      }
    } else if (read) {
      evidence.push(`FC03 ${hex(typeRegister.address)} ${typeRegister.name} → ${read.failure}`);
    }
  }
  const firmwareRead = firmware ? extraReads.get(firmware.address) : undefined;
  if (firmwareRead && 'decoded' in firmwareRead) {
    evidence.push(line(firmwareRead.decoded));
    facts.push(say('bus.firmwareIs', { version: firmwareRead.decoded.text }));
  }
  const level = judgedLevel(findings.map((f) => f.level));
  return {
    answered: true,
    check: {
      id,
      level,
      ...(findings.length > 0
        ? said('bus.answersBut', { label, findings: { list: findings.map((f) => f.text), by: '; ' } })
        : said('bus.answers', { label, facts: facts.length > 0 ? say('bus.facts', { facts: { list: facts } }) : '' })),
      evidence: evidence.join('\n'),
      runbook: level === 'OK' ? undefined : RUNBOOK.communication,
    },
  };
}
