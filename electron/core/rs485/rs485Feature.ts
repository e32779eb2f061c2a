import { BusSettingsInputSchema } from '../../../shared/ipc/contracts/rs485';
import type { RS485_CALL_NAMES } from '../../../shared/ipc/names/rs485';
import type { CoreHandlers } from '../api/CoreApi';
import type { CoreFeature, FeatureDeps } from '../feature';
import { shippedRs485Dir } from './profiles';
import { Rs485Service, type Rs485ServiceDeps } from './service/Rs485Service';

export type Rs485CallName = (typeof RS485_CALL_NAMES)[number];

/** Replacements for tests (ports, serial opening, the simulator); the real ones otherwise. */
export type Rs485FeatureOverrides = Partial<
  Pick<Rs485ServiceDeps, 'connectBus' | 'lister' | 'openChannel' | 'startSim' | 'timers' | 'shippedDir'>
>;

/** The rs485 feature's slice of the contract: every call answered by the bus service. */
export function createRs485Feature(
  deps: FeatureDeps,
  overrides: Rs485FeatureOverrides = {},
): CoreFeature<Rs485CallName> {
  const service = new Rs485Service({
    dataDir: deps.dataDir,
    db: deps.db,
    history: deps.history,
    events: deps.events,
    clock: deps.clock,
    logger: deps.logger.child({ subsystem: 'rs485' }),
    connector: deps.connector,
    requireUnit: (name) => deps.units.require(name),
    findings: (checks) => deps.diagnostics.findings(checks),
    shippedDir: shippedRs485Dir(deps.layout.resourcesDir),
    ...overrides,
  });
  const handlers: Pick<CoreHandlers, Rs485CallName> = {
    'rs485.ports': () => service.listPorts(),
    'rs485.profiles': () => service.profiles(),
    'rs485.connect': (input) => service.connect(input.port, input.settings),
    'rs485.release': async (input) => ({ released: await service.release(input.busId) }),
    'rs485.buses': async () => service.listBuses(),
    'rs485.scan': (input) => service.scan(input.busId, input),
    'rs485.scan.cancel': async (input) => ({ cancelled: service.cancelScan(input.busId) }),
    'rs485.readModule': (input) => service.readModule(input.busId, input.slave, input.type),
    'rs485.readRegisters': (input) => service.readRegisters(input.busId, input),
    'rs485.diagnose': (input) => service.diagnose(input.busId, input.unit, input.modules),
    'rs485.lastDiagnosis': async (input) => service.lastDiagnosis(input.busId),
    'rs485.planWrite': (input) => service.planWrite(input),
    'rs485.applyWrite': (input, context) => service.applyWrite(input.planId, input.confirm, context.actor),
    'rs485.monitor.start': (input) => service.startMonitor(input.source, input.capacity),
    'rs485.monitor.stop': (input) => service.stopMonitor(input.monitorId),
    'rs485.monitor.list': async () => service.listMonitors(),
    'rs485.monitor.frames': async (input) => service.monitorFrames(input.monitorId, input.limit),
    'rs485.monitor.export': (input) => service.exportMonitor(input.monitorId, input.format, input.path),
    'rs485.params.backup': (input, context) => service.backupParams({ ...input, actor: context.actor }),
    'rs485.params.list': async (input) => service.listBackups(input.unit, input.limit),
    'rs485.params.get': async (input) => service.getBackup(input.backupId),
    'rs485.params.planRestore': (input) => service.planRestore(input.busId, input.backupId, input.unit),
    'rs485.params.restore': async (input, context) => ({
      results: await service.restore(input.planId, input.only, input.confirm, context.actor),
    }),
    'rs485.secondMaster': (input) => service.secondMaster(input.unit),
    'rs485.stopFirmware': (input, context) => service.stopFirmware(input.unit, input.confirm, context.actor),
    'rs485.sim.start': (input) =>
      service.startSim(
        input.faults,
        input.connect ? BusSettingsInputSchema.parse({ timeoutMs: 300, retries: 1, gapMs: 2 }) : null,
        input.link,
      ),
    'rs485.sim.setFaults': async (input) => service.setSimFaults(input.simId, input.faults),
    'rs485.sim.stop': async (input) => ({ stopped: await service.stopSim(input.simId) }),
    'rs485.sim.list': async () => service.listSims(),
  };
  return {
    handlers,
    close: () => service.close(),
  };
}
