import type { ModuleType, RegisterDef, Rs485Profile } from '../../../shared/domain/rs485Profile';
import { MODULE_TYPES, WELL_KNOWN } from '../../../shared/domain/rs485Profile';
import { encodeValue } from './decode';

/**
 * The four OHT-50 modules as a simulated bus, for the demo, training and tests: every register of the selected
 * profiles holds a plausible value, and fault knobs put the bus in the states a technician meets (E-Stop pressed,
 * a flat battery, a module gone, a noisy line, a slow module, a module that ignores writes). This file is the
 * registers and the faults; `simModulesSlave.ts` serves them as a Modbus RTU slave on a serial port.
 */

export type SimFaults = {
  /** The E-Stop is pressed: the safety module reports it, and the modules that echo it do too. */
  estopPressed?: boolean;
  /** The pack is run down: under-voltage and battery-low fault bits, low cells, low state of charge. */
  lowBattery?: boolean;
  /** Modules that never answer. */
  missing?: ModuleType[];
  /** Every Nth reply of these modules (all when absent) is corrupted on the wire: a CRC error at the master. */
  noise?: { everyNth: number; modules?: ModuleType[] };
  /** Extra reply delay in ms, per module. */
  slowMs?: Partial<Record<ModuleType, number>>;
  /** Modules that acknowledge writes but keep their old values (for the read-back check). */
  ignoreWrites?: ModuleType[];
};

export type SimModuleSpec = { type: ModuleType; address: number; profile: Rs485Profile };

export type SimRequest =
  | { fc: 3 | 4; address: number; count: number }
  | { fc: 6; address: number; value: number }
  | { fc: 16; address: number; values: readonly number[] };

export type SimAnswer =
  | { kind: 'registers'; values: number[] }
  | { kind: 'written' }
  | { kind: 'exception'; exceptionCode: number }
  /** The module is not there (or the slave address is nobody's): no reply at all. */
  | { kind: 'silent' };

/** How a reply goes out: after how long, and whether the line garbles it. */
export type SimDelivery = { delayMs: number; corrupt: boolean };

export type SimBus = {
  readonly modules: readonly SimModuleSpec[];
  faults(): SimFaults;
  setFaults(faults: SimFaults): void;
  /** Answers one request addressed to `slave`, as the module's firmware would. */
  handle(slave: number, request: SimRequest): SimAnswer;
  /** How the next reply of `slave` travels; advances the noise counter. */
  delivery(slave: number): SimDelivery;
  /** The value a register holds now (faults included), for tests and the demo's own display. */
  peek(slave: number, address: number): number | undefined;
};

const ILLEGAL_ADDRESS = 0x02;
const ILLEGAL_VALUE = 0x03;

/** Plausible readings of a healthy vehicle at rest, in engineering units, by register name. */
const HEALTHY: Readonly<Record<string, number>> = {
  // power
  packVoltage: 24.6,
  packCurrent: 1.8,
  stateOfCharge: 82.5,
  cellVoltageMax: 4112,
  cellVoltageMin: 4086,
  cellIndexMax: 2,
  cellIndexMin: 5,
  cellVoltageSpread: 26,
  temperatureAverage: 29,
  bmsConnection: 1,
  chargeMosfet: 1,
  dischargeMosfet: 1,
  bmsLifeCycles: 143,
  residualCapacity: 16500,
  cellCount: 6,
  temperatureSensorCount: 2,
  discharging: 1,
  chargeCycles: 143,
  cell0Voltage: 4101,
  cell1Voltage: 4098,
  cell2Voltage: 4112,
  cell3Voltage: 4105,
  cell4Voltage: 4094,
  cell5Voltage: 4086,
  temperature0: 28,
  temperature1: 30,
  chargerVoltageSet: 25.2,
  chargerCurrentSet: 5,
  chargerTemperature: 26,
  rail12vVoltage: 12.1,
  rail12vCurrent: 0.8,
  rail12vPower: 9.7,
  rail5vVoltage: 5,
  rail5vCurrent: 1.2,
  rail5vPower: 6,
  rail3v3Voltage: 3.3,
  rail3v3Current: 0.4,
  rail3v3Power: 1.3,
  rail12vRelay: 1,
  rail5vRelay: 1,
  rail3v3Relay: 1,
  voltageUsageThreshold: 0.8,
  // safety
  systemTemperature: 31,
  systemVoltage: 24,
  analogDistance1: 2480,
  analogDistance2: 3120,
  analogDistance3: 4050,
  analogDistance4: 6010,
  adcRaw1: 1015,
  adcRaw2: 1277,
  adcRaw3: 1658,
  adcRaw4: 2460,
  relayOutput: 15,
  relayControl: 15,
  relay1: 1,
  relay2: 1,
  relay3: 1,
  relay4: 1,
  zoneThreshold1: 1000,
  zoneThreshold2: 2000,
  zoneThreshold3: 3000,
  zoneThreshold4: 5000,
  proximityThreshold: 500,
  responseTime: 50,
  // travel (canonical and alternate)
  motor1ControlMode: 3,
  motor2ControlMode: 3,
  motor1Kp: 1,
  motor1Ki: 0.1,
  motor1Kd: 0.1,
  motor2Kp: 1,
  motor2Ki: 0.1,
  motor2Kd: 0.1,
  motor1StatusWord: 0x0001,
  motor2StatusWord: 0x0001,
  motorTemperature: 27.5,
  motorVoltage: 24.1,
  operationStatus: 1,
  ready: 1,
  // dock (all maps)
  imuTemperature: 30,
  accelZ: 1000,
  magneticStrength: 48,
  distanceToDock: 850,
  dockingTimeout: 15000,
  accelTemperature: 25,
  supplyVoltage: 24,
  supplyCurrent: 180,
  moduleTemperature: 33,
  rfidSignal: 72,
  dockStatus: 0x01,
  approachDistance: 500,
  configFinalSpeed: 50,
  finalSpeed: 50,
  approachSpeed: 120,
  configAccuracy: 2,
  accuracy: 2,
  dockTimeout: 30,
  retryCount: 3,
  debounceTime: 100,
  alignmentTolerance: 50,
  // identity
  baudRateCode: 5,
  parity: 0,
  stopBits: 1,
  firmwareVersion: 0x0101,
  hardwareVersion: 0x0101,
  hardwareVersionAlt: 0x0101,
  systemStatus: 0x0001,
};

/** What the faults change, by module type and register name, in engineering units. */
function overlay(type: ModuleType, faults: SimFaults): Record<string, number> {
  const out: Record<string, number> = {};
  if (faults.estopPressed) {
    if (type === 'safety') {
      Object.assign(out, { emergencyStop: 1, safetyStatus: 3, relayOutput: 0, systemError: 0x0003 });
    }
    if (type === 'travel') {
      Object.assign(out, { emergencyStop: 1, ready: 0 });
    }
    if (type === 'dock') {
      out['dockStatus'] = 0x80;
    }
  }
  if (faults.lowBattery && type === 'power') {
    Object.assign(out, {
      packVoltage: 19.4,
      stateOfCharge: 7.5,
      cellVoltageMax: 3251,
      cellVoltageMin: 3198,
      cellVoltageSpread: 53,
      cell0Voltage: 3240,
      cell1Voltage: 3236,
      cell2Voltage: 3251,
      cell3Voltage: 3222,
      cell4Voltage: 3210,
      cell5Voltage: 3198,
      faultFlags: (1 << 1) | (1 << 6),
      systemError: 0x0002,
    });
  }
  return out;
}

/** A healthy value for a register this table does not know: the first harmless enum value, else in range. */
function fallback(def: RegisterDef): number {
  if (def.enum) {
    return (def.enum.find((e) => (e.level ?? 'OK') === 'OK') ?? def.enum[0])?.value ?? 0;
  }
  return Math.min(Math.max(0, def.min), def.max);
}

function rawOf(def: RegisterDef, value: number): number {
  const encoded = encodeValue(def, value);
  if (encoded.ok) {
    return encoded.raw;
  }
  // Faults may push a reading outside what a write may set; store it as the module would report it.
  const steps = Math.round(value / def.scale);
  return steps & 0xffff;
}

type ModuleState = {
  spec: SimModuleSpec;
  byAddress: Map<number, RegisterDef>;
  byName: Map<string, RegisterDef>;
  /** Raw words as last written or as started; faults are laid over them when read. */
  stored: Map<number, number>;
  replies: number;
};

export function createSimBus(modules: readonly SimModuleSpec[], initialFaults: SimFaults = {}): SimBus {
  let faults: SimFaults = { ...initialFaults };
  const states = new Map<number, ModuleState>();
  for (const spec of modules) {
    const stored = new Map<number, number>();
    for (const def of spec.profile.registers) {
      stored.set(def.address, def.access === 'W' ? 0 : rawOf(def, initialValue(spec, def)));
    }
    const byAddress = new Map(spec.profile.registers.map((r) => [r.address, r]));
    const byName = new Map(spec.profile.registers.map((r) => [r.name, r]));
    states.set(spec.address, { spec, byAddress, byName, stored, replies: 0 });
  }
  latchErrors(states.values(), faults);
  return {
    modules,
    faults: () => ({ ...faults }),
    setFaults(next) {
      faults = { ...next };
      latchErrors(states.values(), faults);
    },
    handle(slave, request) {
      const state = states.get(slave);
      if (!state || (faults.missing?.includes(state.spec.type) ?? false)) {
        return { kind: 'silent' };
      }
      switch (request.fc) {
        case 3:
        case 4:
          return readAnswer(state, request.address, request.count, faults);
        case 6:
          return writeAnswer(states, state, request.address, [request.value], faults);
        case 16:
          return writeAnswer(states, state, request.address, request.values, faults);
      }
    },
    delivery(slave) {
      const state = states.get(slave);
      return state ? deliveryOf(state, faults) : { delayMs: 0, corrupt: false };
    },
    peek(slave, address) {
      const state = states.get(slave);
      const def = state?.byAddress.get(address);
      return state && def ? current(state, def, faults) : undefined;
    },
  };
}

/** A module's error register latches what a fault raised: it stays set after the fault goes, until reset. */
function latchErrors(states: Iterable<ModuleState>, faults: SimFaults): void {
  for (const state of states) {
    const code = overlay(state.spec.type, faults)[WELL_KNOWN.systemError];
    const def = state.byName.get(WELL_KNOWN.systemError);
    if (code !== undefined && def) {
      state.stored.set(def.address, rawOf(def, code));
    }
  }
}

function current(state: ModuleState, def: RegisterDef, faults: SimFaults): number {
  if (def.access === 'W') {
    return 0;
  }
  const over = overlay(state.spec.type, faults)[def.name];
  return over === undefined ? (state.stored.get(def.address) ?? 0) : rawOf(def, over);
}

function readAnswer(state: ModuleState, address: number, count: number, faults: SimFaults): SimAnswer {
  const values: number[] = [];
  for (let a = address; a < address + count; a += 1) {
    const def = state.byAddress.get(a);
    if (!def) {
      return { kind: 'exception', exceptionCode: ILLEGAL_ADDRESS };
    }
    values.push(current(state, def, faults));
  }
  return { kind: 'registers', values };
}

function writeAnswer(
  states: ReadonlyMap<number, ModuleState>,
  state: ModuleState,
  address: number,
  values: readonly number[],
  faults: SimFaults,
): SimAnswer {
  const defs: RegisterDef[] = [];
  for (let i = 0; i < values.length; i += 1) {
    const def = state.byAddress.get(address + i);
    if (!def || def.access === 'R') {
      return { kind: 'exception', exceptionCode: ILLEGAL_ADDRESS };
    }
    const raw = values[i] ?? 0;
    const signed = def.signed === true && raw >= 0x8000 ? raw - 0x10000 : raw;
    const value = signed * def.scale;
    if (value < def.min - 1e-9 || value > def.max + 1e-9) {
      return { kind: 'exception', exceptionCode: ILLEGAL_VALUE };
    }
    defs.push(def);
  }
  if (faults.ignoreWrites?.includes(state.spec.type)) {
    return { kind: 'written' };
  }
  defs.forEach((def, i) => {
    if (def.access === 'W') {
      runCommand(state, def);
      // A fault that is still there raises its error again at once.
      latchErrors(states.values(), faults);
    } else {
      state.stored.set(def.address, values[i] ?? 0);
    }
  });
  return { kind: 'written' };
}

/** A command does what its profile says proves it: reset errors sets the error register to its expected value. */
function runCommand(state: ModuleState, def: RegisterDef): void {
  if (def.afterWrite) {
    const target = state.byName.get(def.afterWrite.read);
    if (target) {
      state.stored.set(target.address, def.afterWrite.expect);
    }
  }
}

/** How a reply goes out: late by the module's slow fault, garbled every Nth reply by the noise fault. */
function deliveryOf(state: ModuleState, faults: SimFaults): { delayMs: number; corrupt: boolean } {
  state.replies += 1;
  const noise = faults.noise;
  const noisy =
    noise !== undefined &&
    noise.everyNth >= 1 &&
    (noise.modules === undefined || noise.modules.includes(state.spec.type)) &&
    state.replies % noise.everyNth === 0;
  return { delayMs: faults.slowMs?.[state.spec.type] ?? 0, corrupt: noisy };
}

function initialValue(spec: SimModuleSpec, def: RegisterDef): number {
  if (def.name === WELL_KNOWN.deviceId) {
    return spec.address;
  }
  if (def.name === WELL_KNOWN.moduleType) {
    return spec.profile.typeCode ?? 0;
  }
  return HEALTHY[def.name] ?? fallback(def);
}

/** The four modules at their usual addresses with the given profiles (one per module type). */
export function standardModules(profiles: Readonly<Record<ModuleType, Rs485Profile>>): SimModuleSpec[] {
  return MODULE_TYPES.map((type) => ({ type, address: profiles[type].defaultAddress, profile: profiles[type] }));
}
