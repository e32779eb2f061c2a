import type { Said } from '../../../shared/domain/said';
import { say } from '../../../shared/domain/words';
import type { ModuleType, RegisterDef, Rs485Profile } from '../../../shared/domain/rs485Profile';
import { hexByte } from '../../../shared/domain/rs485Text';
import { isAppError } from '../../../shared/errors/AppError';
import type { Decoded } from './decode';
import { describeFailure } from './moduleRegisters';
import { hex } from './profiles';

/** The offline diagnosis's ids and the small words its checks are made of. */

export const OFFLINE_ROOT = 'rs485.offline';

export const offlineId = (module?: ModuleType, leaf?: string): string =>
  [OFFLINE_ROOT, module, leaf].filter((p) => p !== undefined).join('.');

export function findByName(profile: Rs485Profile, name: string): RegisterDef | undefined {
  return profile.registers.find((r) => r.name === name);
}

/** `0x0030 chargerVoltageSet = 24.5 V (raw 0x00F5)`: one register as evidence. */
export function line(d: Decoded): string {
  return `${hex(d.address)} ${d.name} = ${d.text} (raw ${d.rawHex})`;
}

/** A slave address as the checks name it. */
export const hex2 = hexByte;

/** The module's name in the reader's language. */
export function moduleName(type: ModuleType): Said {
  return say(`bus.module.${type}`);
}

/** Why a request failed, in words for the verdict (describeFailure says it for the evidence). */
export function failureSaid(error: unknown): Said | { raw: string } {
  if (isAppError(error) && error.code === 'MODBUS_TIMEOUT') {
    return say('bus.failNoAnswer');
  }
  if (isAppError(error) && error.code === 'MODBUS_CRC') {
    return say('bus.failCrc');
  }
  if (isAppError(error) && error.code === 'MODBUS_EXCEPTION') {
    const code = error.details?.['exceptionCode'];
    const name = error.details?.['exceptionName'];
    return say('bus.refusedException', {
      code: typeof code === 'number' ? code.toString(16).padStart(2, '0') : '?',
      name: typeof name === 'string' ? say('bus.exceptionName', { name }) : '',
    });
  }
  return { raw: describeFailure(error) };
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
