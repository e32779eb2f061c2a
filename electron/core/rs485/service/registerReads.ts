/**
 * Raw register reads of one slave (FC03 holding, FC04 input), optionally named by the module's register map: the
 * module is identified (0x0104, or the type the caller names) and every word of the read its map knows is decoded.
 * The raw values are what was asked for: a decoding that fails says why beside them and never hides them.
 */
import type { ModuleType } from '../../../../shared/domain/rs485Profile';
import type { RegisterReadView } from '../../../../shared/ipc/contracts/rs485';
import { decodeRegister } from '../decode';
import { identifyModule } from '../identifyModule';
import type { ModbusMaster } from '../modbusTypes';
import type { LoadedMaps } from './profileSource';
import { decodedView } from './writes';

export type RegisterReadRequest = {
  slave: number;
  register: number;
  count: number;
  function: 'holding' | 'input';
  decode: boolean;
  type?: ModuleType | undefined;
};

export async function readRegisters(
  master: ModbusMaster,
  request: RegisterReadRequest,
  maps: () => Promise<LoadedMaps>,
): Promise<RegisterReadView> {
  const { slave, register, count } = request;
  const values =
    request.function === 'input'
      ? await master.readInputRegisters(slave, register, count)
      : await master.readHoldingRegisters(slave, register, count);
  // Input registers are not in the maps; only holding registers are decoded.
  if (!request.decode || request.function !== 'holding') {
    return { values, decoding: null, decodeError: null };
  }
  try {
    return { values, decoding: await decodeByMap(master, request, values, await maps()), decodeError: null };
  } catch (error) {
    return { values, decoding: null, decodeError: error instanceof Error ? error.message : String(error) };
  }
}

async function decodeByMap(
  master: ModbusMaster,
  request: RegisterReadRequest,
  values: readonly number[],
  { catalog, selection }: LoadedMaps,
): Promise<NonNullable<RegisterReadView['decoding']>> {
  const id = await identifyModule(master, request.slave, catalog, { override: request.type, selection });
  if (!id.ok) {
    return { identified: false, reason: id.reason, typeRaw: id.typeRaw };
  }
  const { profile } = id.module;
  const registers = values.flatMap((raw, i) => {
    const def = profile.registers.find((r) => r.address === request.register + i);
    return def && def.access !== 'W' ? [decodedView(decodeRegister(def, raw))] : [];
  });
  return {
    identified: true,
    module: {
      type: id.module.type,
      address: id.module.address,
      profileId: profile.id,
      profileVersion: profile.version,
    },
    identity: { source: id.source, typeRaw: id.typeRaw, notes: id.notes },
    registers,
  };
}
