import type { BusModule } from '../../../electron/core/rs485/diagnosis';
import { selectProfile, type VariantSelection } from '../../../electron/core/rs485/profiles';
import { createSimBus, standardModules, type SimBus, type SimFaults } from '../../../electron/core/rs485/simModules';
import { MODULE_TYPES, type ModuleType, type Rs485Profile } from '../../../shared/domain/rs485Profile';
import { FakeModbusMaster } from './FakeModbusMaster';
import { shippedCatalog } from './profileDirs';

export type SimFixture = { bus: SimBus; master: FakeModbusMaster; modules: BusModule[] };

/** The shipped profiles chosen per module type (defaults unless a variant is named). */
export async function shippedProfiles(selection: VariantSelection = {}): Promise<Record<ModuleType, Rs485Profile>> {
  const catalog = await shippedCatalog();
  const entries = MODULE_TYPES.map((type) => [type, selectProfile(catalog, type, selection).profile] as const);
  return Object.fromEntries(entries) as Record<ModuleType, Rs485Profile>;
}

/**
 * The four simulated modules with a fake master in front of them. `served` is the map the modules really have,
 * `expected` the one the workstation reads them with (they differ to show a wrong variant).
 */
export async function simFixture(
  faults: SimFaults = {},
  maps: { served?: VariantSelection; expected?: VariantSelection } = {},
): Promise<SimFixture> {
  const served = await shippedProfiles(maps.served);
  const expected = await shippedProfiles(maps.expected ?? maps.served);
  const bus = createSimBus(standardModules(served), faults);
  const master = new FakeModbusMaster(bus);
  const modules = MODULE_TYPES.map((type) => ({
    type,
    address: expected[type].defaultAddress,
    profile: expected[type],
  }));
  return { bus, master, modules };
}
