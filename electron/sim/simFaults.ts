import type { SimVehicle } from './SimVehicle';

/**
 * Every fault the simulated vehicle can be put in, by a stable id: what trainers pick, what the tests walk (the
 * diagnosis's findings, guided recovery, the procedures), and what the demo injects. Each entry is one injection
 * method of SimVehicle with the values that make the diagnosis report it; a new injection method gets an entry here.
 */
export type SimFault = {
  id: string;
  /** What a technician would say happened, in a sentence. */
  describe: string;
  inject(vehicle: SimVehicle): void;
};

export const SIM_FAULTS: readonly SimFault[] = [
  { id: 'firmware-crashed', describe: 'the firmware service crashed', inject: (v) => v.crashService('firmware') },
  { id: 'backend-crashed', describe: 'the backend service crashed', inject: (v) => v.crashService('backend') },
  {
    id: 'backend-crash-looping',
    describe: 'the backend keeps crashing and systemd keeps bringing it back',
    inject: (v) => {
      for (let i = 0; i < 3; i += 1) {
        v.crashService('backend', { autoRestart: true });
      }
    },
  },
  {
    id: 'firmware-stopped',
    describe: 'someone stopped the firmware service',
    inject: (v) => v.stopService('firmware'),
  },
  { id: 'backend-stopped', describe: 'someone stopped the backend service', inject: (v) => v.stopService('backend') },
  {
    id: 'backend-config-error',
    describe: "a bad value in the backend's .env keeps it from starting",
    inject: (v) => void v.failWithConfigError('backend'),
  },
  {
    id: 'firmware-config-error',
    describe: 'a broken firmware configuration keeps it from starting',
    inject: (v) => void v.failWithConfigError('firmware'),
  },
  { id: 'log-partition-full', describe: 'the log partition is full', inject: (v) => v.fillLogPartition(96) },
  { id: 'log-partition-filling', describe: 'the log partition is filling up', inject: (v) => v.fillLogPartition(85) },
  { id: 'cpu-busy', describe: 'a runaway process keeps the CPU busy', inject: (v) => v.setCpuLoad(97) },
  { id: 'cpu-high', describe: 'the CPU is under high load', inject: (v) => v.setCpuLoad(85) },
  { id: 'memory-full', describe: 'memory is nearly used up', inject: (v) => v.setMemoryUse(97) },
  { id: 'memory-high', describe: 'memory use is high', inject: (v) => v.setMemoryUse(88) },
  { id: 'network-lost', describe: 'the vehicle lost its network', inject: (v) => v.dropNetwork() },
  { id: 'center-unreachable', describe: 'the center server does not answer', inject: (v) => v.centerUnreachable() },
  { id: 'backend-slow', describe: 'the backend API answers slowly', inject: (v) => v.slowApi('backend', 1500) },
  { id: 'firmware-slow', describe: 'the firmware API answers slowly', inject: (v) => v.slowApi('firmware', 700) },
  {
    id: 'backend-errors',
    describe: 'the backend API fails a third of its requests',
    inject: (v) => v.apiErrors('backend', 30),
  },
  { id: 'firmware-garbage', describe: 'the firmware API answers garbage', inject: (v) => v.apiGarbage('firmware') },
  { id: 'module-offline', describe: 'an RS485 module went offline', inject: (v) => v.moduleOffline(3) },
  { id: 'bus-errors', describe: 'the RS485 line is noisy', inject: (v) => v.busErrors(200, 80) },
  { id: 'estop-pressed', describe: 'someone pressed the E-Stop', inject: (v) => v.pressEstop() },
  {
    id: 'estop-latched',
    describe: 'the E-Stop was released but is still latched',
    inject: (v) => {
      v.pressEstop();
      v.releaseEstop();
    },
  },
  { id: 'database-corrupt', describe: "the backend's database is damaged", inject: (v) => v.corruptDatabase() },
  {
    id: 'postgresql-failed',
    describe: 'PostgreSQL failed',
    inject: (v) => {
      v.installDependency('postgresql');
      v.failUnit('postgresql.service');
    },
  },
  {
    id: 'redis-failed',
    describe: 'Redis failed',
    inject: (v) => {
      v.installDependency('redis');
      v.failUnit('redis-server.service');
    },
  },
  { id: 'other-unit-failed', describe: 'another systemd unit failed', inject: (v) => v.failUnit('wpa_supplicant') },
  {
    id: 'clock-skewed',
    describe: "the vehicle's clock is ten minutes off",
    inject: (v) => {
      v.state.system.clockOffsetMs = 10 * 60_000;
    },
  },
];

export function findSimFault(id: string): SimFault | undefined {
  return SIM_FAULTS.find((fault) => fault.id === id);
}
