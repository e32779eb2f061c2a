import { MODULE_TYPES, type ModuleType } from '../../../shared/domain/rs485Profile';
import { isAppError } from '../../../shared/errors/AppError';
import { describeFailure, isModbusFailure, MODULE_LABELS, type BusModule } from './diagnosis';
import type { ModbusMaster, RequestOptions } from './modbusTypes';
import { selectProfile, type ProfileCatalog, type VariantSelection } from './profiles';
import { REG_MODULE_TYPE } from './scan';

/**
 * Which module sits at a slave address, and the register map to read and write it with: the module says its type
 * in 0x0104 (2 power, 3 safety, 4 travel, 5 dock, as the maps' typeCode); the technician may name the type when the
 * module does not say it. A module that says one type is never taken for another.
 */

export type Identified =
  | {
      ok: true;
      module: BusModule;
      /** What 0x0104 held; null when it could not be read. */
      typeRaw: number | null;
      /** 'register': the module said so; 'override': the technician named it. */
      source: 'register' | 'override';
      /** A variant that was asked for and is not there, etc. */
      notes: string[];
    }
  | { ok: false; typeRaw: number | null; reason: string };

/** The module type a 0x0104 value names, by the maps' typeCode. */
export function moduleTypeOfCode(catalog: Pick<ProfileCatalog, 'profiles'>, code: number): ModuleType | undefined {
  return MODULE_TYPES.find((type) => catalog.profiles.some((p) => p.moduleType === type && p.typeCode === code));
}

export async function identifyModule(
  master: ModbusMaster,
  slave: number,
  catalog: Pick<ProfileCatalog, 'profiles'>,
  options: { override?: ModuleType | undefined; selection?: VariantSelection; request?: RequestOptions } = {},
): Promise<Identified> {
  let typeRaw: number | null = null;
  let unread: string | undefined;
  try {
    typeRaw = (await master.readHoldingRegisters(slave, REG_MODULE_TYPE, 1, options.request))[0] ?? null;
  } catch (error) {
    // A module that does not answer at all is not identified by naming a type: the caller sees why.
    if (!isModbusFailure(error) || !isAppError(error) || error.code !== 'MODBUS_EXCEPTION') {
      throw error;
    }
    unread = describeFailure(error);
  }
  const said = typeRaw === null ? undefined : moduleTypeOfCode(catalog, typeRaw);
  const override = options.override;
  if (said !== undefined && override !== undefined && said !== override) {
    return {
      ok: false,
      typeRaw,
      reason: `slave ${slave} says it is the ${MODULE_LABELS[said]} module (0x0104 = ${typeRaw ?? '?'}), not ${MODULE_LABELS[override]}: check --slave and --type`,
    };
  }
  const type = said ?? override;
  if (type === undefined) {
    const why = unread !== undefined ? `0x0104 could not be read (${unread})` : `0x0104 holds ${typeRaw ?? '?'}`;
    return {
      ok: false,
      typeRaw,
      reason: `slave ${slave} does not say which module it is (${why}); name it with --type power|safety|travel|dock`,
    };
  }
  const chosen = selectProfile(catalog, type, options.selection);
  return {
    ok: true,
    module: { type, address: slave, profile: chosen.profile },
    typeRaw,
    source: said !== undefined ? 'register' : 'override',
    notes: chosen.note === undefined ? [] : [chosen.note],
  };
}
