import { systemClock, type Clock } from '../core/ports/Clock';
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
  clearProcessFaults,
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
import { databaseFileContent, defaultDatabase, SIM_DATABASE_PATH, type SimDatabaseState } from './simDatabase';
import { estopLines, PIN_PRESSED, PIN_RELEASED, SIM_ESTOP_GPIO_PATH } from './simEstop';
import {
  appendJournal,
  configErrorLines,
  defaultJournal,
  exitLines,
  startupLines,
  systemdLine,
  type SimJournalLine,
  type SimJournalState,
} from './simJournal';
import { dependencyFiles, dependencyUnit, genericUnit, type SimDependency, type SimUnitState } from './simOtherUnits';
import { endBackendLoad } from './simProcesses';
import { defaultPackages, type SimPackagesState } from './programs/packages';
import { systemFiles } from './simSystemFiles';
import { installedTree, type SimNode } from './simTree';
import { unitDefinitions, type SimServiceRole, type SimUnitDefinition, type SimVariant } from './simUnits';

export type { SimServiceRole, SimVariant } from './simUnits';

export type SimActiveState = 'active' | 'failed' | 'inactive' | 'activating';
export type SimSubState = 'running' | 'dead' | 'failed' | 'start' | 'auto-restart' | 'exited';
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
  /** Set by failWithConfigError: the line the service dies with on every start, until fixConfig. */
  configError?: string;
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
  /** Owners, modes, times and types of the tree a backup reads (simTree.ts); other paths are root's. */
  fileMeta: Record<string, SimNode>;
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
  /** What the units printed and what systemd said about them (journalctl). */
  journal: SimJournalState;
  /** The backend's SQLite database; the file itself is in `files` (sqlite3). */
  database: SimDatabaseState;
  /** systemd units besides the two OHT-50 services, by full name: PostgreSQL, Redis, anything a trainer fails. */
  otherUnits: Record<string, SimUnitState>;
  /** Debian packages waiting for an upgrade (apt, apt-get). */
  packages: SimPackagesState;
  /** Programs this vehicle's image lacks: running one is "not found" (removeProgram). */
  missingPrograms: string[];
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
    const installed = installedTree(options.name, this.variant, bootedAtMs - 30 * 86_400_000);
    const image = systemFiles(options.name, bootedAtMs);
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
        ...installed.files,
        ...image.files,
        '/opt/oht50/VERSION': `${options.version ?? '1.0.0'}\n`,
        '/etc/hostname': `${options.name}\n`,
        '/proc/device-tree/model': 'Orange Pi 5B\0',
        [SIM_DATABASE_PATH]: databaseFileContent(),
        [SIM_ESTOP_GPIO_PATH]: PIN_RELEASED,
        [`${SIM_INSTALL_DIR}/config/system.yaml`]: defaultSystemYaml(options.name),
        // The backend's secrets; the diagnosis only asks whether the file is there.
        [`${SIM_INSTALL_DIR}/backend/.env`]: `JWT_SECRET=sim-${options.name}-not-a-secret\nFIRMWARE_URL=http://localhost:8081\n`,
      },
      fileMeta: { ...installed.meta, ...image.meta },
      http: defaultHttp(),
      rs485: defaultRs485(nowMs),
      // The firmware reaches IDLE a few seconds after its service started.
      stateMachine: defaultStateMachine(bootedAtMs + 13_000),
      resources: defaultResources(bootedAtMs),
      network: defaultNetwork(options.name),
      journal: defaultJournal(),
      database: defaultDatabase(),
      otherUnits: {},
      packages: defaultPackages(),
      missingPrograms: [],
    };
    for (const s of [this.state.services.firmware, this.state.services.backend]) {
      this.log(
        s.unit,
        [systemdLine(`Started ${s.description}.`), ...startupLines(s.processName, s.mainPid, s.httpPort)],
        s.sinceMs,
      );
    }
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
    this.processEnded(s, nowMs);
    if (s.mainPid !== 0) {
      s.execMainExitMs = nowMs;
      s.execMainPid = s.mainPid;
    }
    s.execMainCode = 1;
    s.execMainStatus = options.exitStatus ?? 1;
    s.nRestarts += 1;
    this.log(s.unit, exitLines(s.unit, s.execMainStatus), nowMs);
    if (options.autoRestart) {
      this.log(s.unit, [systemdLine(`${s.unit}: Scheduled restart job, restart counter is at ${s.nRestarts}.`)]);
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
    this.processEnded(s, nowMs);
    this.log(s.unit, [systemdLine(`Stopping ${s.description}...`), systemdLine(`Stopped ${s.description}.`)], nowMs);
  }

  /** `systemctl start`: a no-op on a running unit; otherwise a fresh process and, as systemd does, NRestarts=0. */
  startService(which: SimServiceRole): void {
    const s = this.service(which);
    if (s.activeState === 'active') {
      return;
    }
    const nowMs = this.now();
    s.nRestarts = 0;
    if (s.configError !== undefined) {
      this.failStart(s, nowMs - 1_000, false);
      return;
    }
    this.comeUp(s, nowMs);
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

  /** Every answer of that API takes `ms` longer (curl's time_total; past -m, curl times out), until its process ends. */
  slowApi(which: SimApiRole, ms: number): void {
    this.state.http[which].latencyMs = Math.max(0, ms);
  }

  /**
   * That API fails a share of requests (a number, in %) or answers every one with a status (`{ status: 503 }`), until
   * its process ends.
   */
  apiErrors(which: SimApiRole, errors: SimApiErrors): void {
    setApiErrors(this.state.http[which], errors);
  }

  /** That API answers with bodies that are not JSON (cut off, an HTML error page), until its process ends. */
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

  /** Appends lines to the journal of `unit` (a full unit name) at `atMs`, by default now on the vehicle's clock. */
  log(unit: string, lines: readonly SimJournalLine[], atMs: number = this.now()): void {
    appendJournal(this.state.journal, unit, atMs, lines);
  }

  /** Any systemd unit the vehicle has, its two services first; undefined when it has no unit of that name. */
  findUnit(unit: string): SimUnitState | undefined {
    const full = /\.[a-z]+$/.test(unit) ? unit : `${unit}.service`;
    return this.findService(full) ?? this.state.otherUnits[full];
  }

  /**
   * The service's configuration no longer loads (a bad value in the backend's .env, a broken modules.yaml for the
   * firmware): it exits at once on every start and Restart=always keeps trying every 3 s. The journal shows
   * `attempts` rounds of it, the last one ending now. Every start fails the same way until fixConfig.
   * Returns the journal line that names the cause.
   */
  failWithConfigError(which: SimServiceRole, attempts = 3): string {
    const s = this.service(which);
    const nowMs = this.now();
    if (s.mainPid !== 0) {
      this.log(
        s.unit,
        [systemdLine(`Stopping ${s.description}...`), systemdLine(`Stopped ${s.description}.`)],
        nowMs - 1_000 - attempts * 4_000,
      );
    }
    s.configError = configErrorLines(s.processName, 0).cause;
    const rounds = Math.max(1, attempts);
    for (let i = rounds - 1; i >= 0; i -= 1) {
      this.failStart(s, nowMs - 1_000 - i * 4_000, i > 0);
    }
    return s.configError;
  }

  /** The configuration is repaired: the next restart Restart=always makes (or the next start) comes up. */
  fixConfig(which: SimServiceRole): void {
    const s = this.service(which);
    if (s.configError === undefined) {
      return;
    }
    delete s.configError;
    if (s.activeState === 'activating') {
      this.log(s.unit, [systemdLine(`${s.unit}: Scheduled restart job, restart counter is at ${s.nRestarts + 1}.`)]);
      s.nRestarts += 1;
      this.comeUp(s, this.now());
    }
  }

  /** Whether gpio59 reads 0 (active-low: pressed) right now. */
  estopPressed(): boolean {
    return this.state.files[SIM_ESTOP_GPIO_PATH] === PIN_PRESSED;
  }

  /** Someone hits the E-Stop: gpio59 reads 0 and the firmware enters ESTOP, which latches. */
  pressEstop(): void {
    this.state.files[SIM_ESTOP_GPIO_PATH] = PIN_PRESSED;
    this.setSystemState('ESTOP', { fault: 'ESTOP', event: 'ESTOP_TRIGGERED' });
    this.firmwareSays('pressed');
  }

  /** The button is pulled back out: the pin reads 1 again, but the firmware stays in ESTOP until it is reset. */
  releaseEstop(): void {
    this.state.files[SIM_ESTOP_GPIO_PATH] = PIN_RELEASED;
    this.firmwareSays('released');
  }

  /** The reset a technician sends once it is safe; refused while the pin still reads 0, as the firmware refuses it. */
  resetEstopLatch(): boolean {
    if (this.estopPressed()) {
      this.firmwareSays('reset-refused');
      return false;
    }
    if (this.state.stateMachine.current === 'ESTOP') {
      this.setSystemState('IDLE', { fault: 'NONE', event: 'ESTOP_RESET' });
      this.firmwareSays('reset');
    }
    return true;
  }

  /** The backend's database file is damaged (pages lost in a power cut); the backend's queries start failing. */
  corruptDatabase(): void {
    this.state.database.health = 'corrupt';
    const backend = this.service('backend');
    if (backend.mainPid !== 0) {
      const line = (message: string): SimJournalLine => ({
        identifier: backend.processName,
        pid: backend.mainPid,
        message,
      });
      this.log(backend.unit, [
        line('ERROR:    Exception in ASGI application'),
        line('sqlite3.DatabaseError: database disk image is malformed'),
      ]);
    }
  }

  /** The image has the runbook's dependency (PostgreSQL or Redis) installed and running. */
  installDependency(which: SimDependency): SimUnitState {
    const unit = dependencyUnit(which, this.now(), this.state.system.nextPid++);
    this.state.otherUnits[unit.unit] = unit;
    Object.assign(this.state.files, dependencyFiles(which));
    this.log(unit.unit, [systemdLine(`Started ${unit.description}.`)], unit.sinceMs);
    return unit;
  }

  /**
   * Any unit fails: one of the OHT-50 services (as crashService), an installed dependency, or a unit the simulator
   * did not model yet (added, then failed), such as wpa_supplicant.service.
   */
  failUnit(unit: string, exitStatus = 1): void {
    const service = this.findService(unit);
    if (service) {
      this.crashService(service.role, { exitStatus });
      return;
    }
    const full = /\.[a-z]+$/.test(unit) ? unit : `${unit}.service`;
    const nowMs = this.now();
    const s = (this.state.otherUnits[full] ??= genericUnit(
      full,
      this.state.system.bootedAtMs + 8_000,
      this.state.system.nextPid++,
    ));
    s.execMainExitMs = nowMs;
    s.execMainPid = s.mainPid === 0 ? s.execMainPid : s.mainPid;
    s.execMainCode = 1;
    s.execMainStatus = exitStatus;
    s.mainPid = 0;
    s.result = 'exit-code';
    this.enter(s, 'failed', 'failed', nowMs);
    this.log(full, exitLines(full, exitStatus), nowMs);
  }

  /** This vehicle's image lacks `program` (sqlite3, python3, journalctl…): running it is "not found", exit 127. */
  removeProgram(program: string): void {
    if (!this.state.missingPrograms.includes(program)) {
      this.state.missingPrograms.push(program);
    }
  }

  restoreProgram(program: string): void {
    this.state.missingPrograms = this.state.missingPrograms.filter((p) => p !== program);
  }

  /** A service's main process ended: a runaway load in it, and its API's slowness or errors, end too. */
  private processEnded(s: SimServiceState, atMs: number): void {
    clearProcessFaults(this.state.http[s.role]);
    if (s.role === 'backend') {
      endBackendLoad(this, atMs);
    }
  }

  private firmwareSays(event: Parameters<typeof estopLines>[0]): void {
    const fw = this.service('firmware');
    if (fw.mainPid !== 0) {
      this.log(fw.unit, estopLines(event, fw.processName, fw.mainPid));
    }
  }

  /** One start that dies on the configuration error; Restart=always schedules the next (`scheduled`: it already ran). */
  private failStart(s: SimServiceState, atMs: number, scheduled: boolean): void {
    this.spawn(s, atMs);
    const pid = s.mainPid;
    const failAtMs = atMs + 1_000;
    this.log(s.unit, [systemdLine(`Started ${s.description}.`)], atMs);
    this.log(s.unit, [...configErrorLines(s.processName, pid).lines, ...exitLines(s.unit, 1)], failAtMs);
    s.execMainExitMs = failAtMs;
    s.execMainCode = 1;
    s.execMainStatus = 1;
    s.mainPid = 0;
    s.result = 'exit-code';
    this.enter(s, 'activating', 'auto-restart', failAtMs);
    if (scheduled) {
      s.nRestarts += 1;
      this.log(
        s.unit,
        [
          systemdLine(`${s.unit}: Scheduled restart job, restart counter is at ${s.nRestarts}.`),
          systemdLine(`Stopped ${s.description}.`),
        ],
        atMs + 4_000,
      );
    }
  }

  private comeUp(s: SimServiceState, nowMs: number): void {
    s.result = 'success';
    this.spawn(s, nowMs);
    this.enter(s, 'active', 'running', nowMs);
    this.log(
      s.unit,
      [systemdLine(`Started ${s.description}.`), ...startupLines(s.processName, s.mainPid, s.httpPort)],
      nowMs,
    );
  }

  private spawn(s: SimUnitState, nowMs: number): void {
    const pid = this.state.system.nextPid++;
    s.mainPid = pid;
    s.execMainPid = pid;
    s.execMainStartMs = nowMs;
    s.execMainExitMs = null;
    s.execMainCode = 0;
    s.execMainStatus = 0;
  }

  private enter(s: SimUnitState, active: SimActiveState, sub: SimSubState, nowMs: number): void {
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
