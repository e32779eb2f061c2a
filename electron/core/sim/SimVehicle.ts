import { systemClock, type Clock } from '../ports/Clock';
import {
  defaultNetwork,
  defaultSystemYaml,
  dropNetwork,
  makeSilent,
  SIM_CENTER_HOST,
  type SimNetworkState,
} from './simNetwork';
import {
  defaultResources,
  fillLogPartition,
  setCpuLoad,
  setMemoryUse,
  SIM_INSTALL_DIR,
  type SimResourcesState,
} from './simResources';
import {
  defaultHttp,
  defaultRs485,
  defaultStateMachine,
  enterSystemState,
  setApiErrors,
  setModuleOnline,
  type SimApiErrors,
  type SimApiRole,
  type SimHttpState,
  type SimRs485State,
  type SimStateMachine,
  type SimSystemStateName,
} from './simHttp';
import { unitDefinitions, type SimServiceRole, type SimUnitDefinition, type SimVariant } from './simUnits';

export type { SimServiceRole, SimVariant } from './simUnits';

export type SimActiveState = 'active' | 'failed' | 'inactive' | 'activating';
export type SimSubState = 'running' | 'dead' | 'failed' | 'start' | 'auto-restart';
export type SimServiceResult =
  'success' | 'exit-code' | 'signal' | 'core-dump' | 'timeout' | 'watchdog' | 'start-limit-hit';
/** systemd's ExecMainCode: the si_code of the main process's end (CLD_EXITED, CLD_KILLED, CLD_DUMPED). */
export type SimExecMainCode = 0 | 1 | 2 | 3;

/** One systemd service as `systemctl show` sees it. Timestamps are the vehicle's epoch ms, null when never set. */
export type SimServiceState = SimUnitDefinition & {
  activeState: SimActiveState;
  subState: SimSubState;
  /** StateChangeTimestamp: when ActiveState last changed. */
  sinceMs: number;
  activeEnterMs: number | null;
  activeExitMs: number | null;
  inactiveEnterMs: number | null;
  inactiveExitMs: number | null;
  execMainStartMs: number | null;
  execMainExitMs: number | null;
  nRestarts: number;
  unitFileState: 'enabled' | 'disabled';
  result: SimServiceResult;
  execMainCode: SimExecMainCode;
  execMainStatus: number;
  execMainPid: number;
  /** 0 while the service is not running. */
  mainPid: number;
};

/**
 * Everything a simulated vehicle answers from, as plain data in sections, so that a trainer can read or
 * change any of it directly and later sections (journal, E-Stop GPIO, resources, HTTP, RS485) slot in.
 */
export type SimVehicleState = {
  system: {
    hostname: string;
    kernelRelease: string;
    kernelVersion: string;
    arch: string;
    bootedAtMs: number;
    /** The vehicle's clock minus the real one: a drifting RTC is a finding the diagnosis should make. */
    clockOffsetMs: number;
    nextPid: number;
  };
  access: {
    /** 'password' makes `sudo -n` fail as on a vehicle without the NOPASSWD rule. */
    sudo: 'nopasswd' | 'password';
    loginUid: number;
  };
  link: {
    /** Delay before each exec is answered, to play a slow radio link. */
    latencyMs: number;
  };
  services: Record<SimServiceRole, SimServiceState>;
  /** Readable files by absolute path (`cat`), and where shell redirections write. */
  files: Record<string, string>;
  /** How the backend and firmware HTTP APIs answer (curl), while their services run. */
  http: SimHttpState;
  /** The firmware's RS485 module registry and bus statistics, as its API reports them. */
  rs485: SimRs485State;
  /** The firmware's state machine (IDLE, ESTOP, FAULT, …): one field for the APIs and the E-Stop. */
  stateMachine: SimStateMachine;
  /** CPU, memory and filesystems (/proc/stat, /proc/meminfo, df, du). */
  resources: SimResourcesState;
  /** Links, addresses, routes, resolvable names and hosts that answer ping (ip, ping). */
  network: SimNetworkState;
};

export type SimVehicleOptions = {
  name: string;
  variant?: SimVariant;
  clock?: Clock;
  /** Content of /opt/oht50/VERSION, without the newline. */
  version?: string;
  /** Default: two hours before the clock's now. */
  bootedAtMs?: number;
};

export type CrashOptions = {
  /** The exit status the main process died with (default 1). */
  exitStatus?: number;
  /** Restart=always brought the service back: it is running again, only NRestarts and the new PID tell. */
  autoRestart?: boolean;
};

/** One simulated OHT-50 vehicle: its state plus the faults a trainer or a test injects. */
export class SimVehicle {
  readonly name: string;
  readonly variant: SimVariant;
  readonly state: SimVehicleState;
  private readonly clock: Clock;

  constructor(options: SimVehicleOptions) {
    this.name = options.name;
    this.variant = options.variant ?? 'runbook';
    this.clock = options.clock ?? systemClock;
    const nowMs = this.clock.now();
    const bootedAtMs = options.bootedAtMs ?? nowMs - 2 * 3600_000;
    const units = unitDefinitions(this.variant);
    const firstPid = 700;
    this.state = {
      system: {
        hostname: options.name,
        kernelRelease: '6.1.43-rk3588',
        kernelVersion: '#1.0.0 SMP Mon Jul  8 11:54:40 CST 2024',
        arch: 'aarch64',
        bootedAtMs,
        clockOffsetMs: 0,
        nextPid: firstPid + 2,
      },
      access: { sudo: 'nopasswd', loginUid: 1000 },
      link: { latencyMs: 0 },
      // The firmware comes up first: the backend talks to it.
      services: {
        firmware: runningSince(units.firmware, bootedAtMs + 9_000, firstPid),
        backend: runningSince(units.backend, bootedAtMs + 12_000, firstPid + 1),
      },
      files: {
        '/opt/oht50/VERSION': `${options.version ?? '1.0.0'}\n`,
        '/etc/hostname': `${options.name}\n`,
        '/proc/device-tree/model': 'Orange Pi 5B\0',
        [`${SIM_INSTALL_DIR}/config/system.yaml`]: defaultSystemYaml(options.name),
      },
      http: defaultHttp(),
      rs485: defaultRs485(nowMs),
      // The firmware reaches IDLE a few seconds after its service started.
      stateMachine: defaultStateMachine(bootedAtMs + 13_000),
      resources: defaultResources(bootedAtMs),
      network: defaultNetwork(options.name),
    };
  }

  get latencyMs(): number {
    return this.state.link.latencyMs;
  }

  set latencyMs(value: number) {
    this.state.link.latencyMs = Math.max(0, value);
  }

  /** The vehicle's wall clock, epoch ms. */
  now(): number {
    return this.clock.now() + this.state.system.clockOffsetMs;
  }

  service(which: SimServiceRole): SimServiceState {
    return this.state.services[which];
  }

  /** The service behind a unit name, with or without `.service`; undefined when the vehicle has no such unit. */
  findService(unit: string): SimServiceState | undefined {
    const full = unit.endsWith('.service') ? unit : `${unit}.service`;
    return Object.values(this.state.services).find((s) => s.unit === full);
  }

  /** The main process died. Without autoRestart it stays failed, as after systemd gave up restarting it. */
  crashService(which: SimServiceRole, options: CrashOptions = {}): void {
    const s = this.service(which);
    const nowMs = this.now();
    if (s.mainPid !== 0) {
      s.execMainExitMs = nowMs;
      s.execMainPid = s.mainPid;
    }
    s.execMainCode = 1;
    s.execMainStatus = options.exitStatus ?? 1;
    s.nRestarts += 1;
    if (options.autoRestart) {
      this.spawn(s, nowMs);
      s.result = 'success';
      this.enter(s, 'active', 'running', nowMs);
      return;
    }
    s.mainPid = 0;
    s.result = 'exit-code';
    this.enter(s, 'failed', 'failed', nowMs);
  }

  /** `systemctl stop`: SIGTERM, a clean end. A failed unit stays failed, as systemd leaves it. */
  stopService(which: SimServiceRole): void {
    const s = this.service(which);
    if (s.activeState !== 'active' && s.activeState !== 'activating') {
      return;
    }
    const nowMs = this.now();
    s.execMainExitMs = nowMs;
    s.execMainPid = s.mainPid;
    s.execMainCode = 2;
    s.execMainStatus = 15;
    s.mainPid = 0;
    s.result = 'success';
    this.enter(s, 'inactive', 'dead', nowMs);
  }

  /** `systemctl start`: a no-op on a running unit; otherwise a fresh process and, as systemd does, NRestarts=0. */
  startService(which: SimServiceRole): void {
    const s = this.service(which);
    if (s.activeState === 'active') {
      return;
    }
    const nowMs = this.now();
    s.nRestarts = 0;
    s.result = 'success';
    this.spawn(s, nowMs);
    this.enter(s, 'active', 'running', nowMs);
  }

  restartService(which: SimServiceRole): void {
    // A failed unit has nothing to stop; starting it clears the failure, as `systemctl restart` does.
    this.stopService(which);
    this.startService(which);
  }

  /** Log files fill the partition that holds /opt/oht50/logs until df shows it `percent` full. */
  fillLogPartition(percent: number): void {
    fillLogPartition(this.state.resources, percent);
  }

  /** From now on the CPU is `percent` busy (a runaway process, or back to normal). */
  setCpuLoad(percent: number): void {
    setCpuLoad(this.state.resources, percent, this.now());
  }

  setMemoryUse(percent: number): void {
    setMemoryUse(this.state.resources, percent);
  }

  /** The vehicle lost its network: no address on any link and no default route. */
  dropNetwork(): void {
    dropNetwork(this.state.network);
  }

  /** The center server named in system.yaml stops answering (down or firewalled); its name still resolves. */
  centerUnreachable(): void {
    makeSilent(this.state.network, SIM_CENTER_HOST);
  }

  /** Every answer of that API takes `ms` longer (curl's time_total; past -m, curl times out). */
  slowApi(which: SimApiRole, ms: number): void {
    this.state.http[which].latencyMs = Math.max(0, ms);
  }

  /** That API fails a share of requests (a number, in %) or answers every one with a status (`{ status: 503 }`). */
  apiErrors(which: SimApiRole, errors: SimApiErrors): void {
    setApiErrors(this.state.http[which], errors);
  }

  /** That API answers with bodies that are not JSON (cut off, an HTML error page). */
  apiGarbage(which: SimApiRole, garbage = true): void {
    this.state.http[which].garbage = garbage;
  }

  /** The RS485 module at `address` stops answering the firmware's polls. */
  moduleOffline(address: number): void {
    setModuleOnline(this.state.rs485, address, false, this.now());
  }

  moduleOnline(address: number): void {
    setModuleOnline(this.state.rs485, address, true, this.now());
  }

  /** The firmware counts `crc` more CRC/frame errors and `timeouts` more health-check timeouts on the bus. */
  busErrors(crc: number, timeouts: number): void {
    this.state.rs485.crcErrors += Math.max(0, crc);
    this.state.rs485.healthTimeouts += Math.max(0, timeouts);
  }

  /** The firmware's state machine enters `state` (ESTOP on an E-Stop, FAULT on a fault, IDLE on a reset). */
  setSystemState(state: SimSystemStateName, options: { fault?: string; event?: string } = {}): void {
    enterSystemState(this.state.stateMachine, state, this.now(), options);
  }

  private spawn(s: SimServiceState, nowMs: number): void {
    const pid = this.state.system.nextPid++;
    s.mainPid = pid;
    s.execMainPid = pid;
    s.execMainStartMs = nowMs;
    s.execMainExitMs = null;
    s.execMainCode = 0;
    s.execMainStatus = 0;
  }

  private enter(s: SimServiceState, active: SimActiveState, sub: SimSubState, nowMs: number): void {
    const wasActive = s.activeState === 'active';
    const isActive = active === 'active';
    if (wasActive && !isActive) {
      s.activeExitMs = nowMs;
      s.inactiveEnterMs = nowMs;
    } else if (!wasActive && isActive) {
      s.inactiveExitMs = nowMs;
      s.activeEnterMs = nowMs;
    } else if (wasActive && isActive) {
      // Restarted in place: it left and re-entered active at once.
      s.activeExitMs = nowMs;
      s.inactiveEnterMs = nowMs;
      s.inactiveExitMs = nowMs;
      s.activeEnterMs = nowMs;
    }
    s.activeState = active;
    s.subState = sub;
    s.sinceMs = nowMs;
  }
}

function runningSince(unit: SimUnitDefinition, atMs: number, pid: number): SimServiceState {
  return {
    ...unit,
    activeState: 'active',
    subState: 'running',
    sinceMs: atMs,
    activeEnterMs: atMs,
    activeExitMs: null,
    inactiveEnterMs: null,
    inactiveExitMs: atMs,
    execMainStartMs: atMs,
    execMainExitMs: null,
    nRestarts: 0,
    unitFileState: 'enabled',
    result: 'success',
    execMainCode: 0,
    execMainStatus: 0,
    execMainPid: pid,
    mainPid: pid,
  };
}
