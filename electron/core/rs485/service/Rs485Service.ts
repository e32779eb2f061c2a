/**
 * The RS485 bus doctor behind the contract: holds the connected buses and routes every question through the core
 * modules (scan, identifyModule, decode, diagnosis, safeWrite, busMonitor, paramsBackup, secondMaster). Each part
 * lives in its own file; this one wires them and answers the calls.
 */
import type { CheckResult, DiagnosisReport, Finding } from '../../../../shared/domain/health';
import type { ModuleType } from '../../../../shared/domain/rs485Profile';
import type { Unit } from '../../../../shared/domain/unit';
import { AppError, isAppError } from '../../../../shared/errors/AppError';
import type {
  BusInfo,
  BusSettingsParsed,
  ModuleReading,
  RegisterReadView,
  ScanResultView,
  SimFaultsInput,
  WritePlanView,
  WriteResultView,
} from '../../../../shared/ipc/contracts/rs485';
import type { EventHub } from '../../ports/EventHub';
import type { HistoryRepository } from '../../history/HistoryRepository';
import type { Clock } from '../../ports/Clock';
import type { Logger } from '../../ports/Logger';
import type { Timers } from '../../ports/Timers';
import type { UnitConnector } from '../../units/unitConnection';
import type { ByteChannel } from '../ByteChannel';
import type { BusSettings } from '../busTiming';
import { MODULE_LABELS, type BusModule } from '../diagnosis';
import { identifyModule, type Identified } from '../identifyModule';
import {
  backupParameters,
  paramsBackupSummary,
  ParamsBackupStore,
  type ParamsBackup,
  type ParamsBackupSummary,
} from '../paramsBackup';
import type { PortLister } from '../ports';
import { selectProfile } from '../profiles';
import { openSerialByteChannel } from '../SerialByteChannel';
import { BusRegistry, toBusSettings, type ConnectFn, type HeldBus } from './busRegistry';
import { scanHeldBus, type ScanRequest } from './busScan';
import { FirmwareControl, type SecondMasterView, type StopFirmwareView } from './firmwareControl';
import { readModule } from './moduleReading';
import { readRegisters, type RegisterReadRequest } from './registerReads';
import { MonitorService, type MonitorInfoView } from './monitors';
import { offlineReport } from './offlineReport';
import { PortService } from './portService';
import { ProfileSource } from './profileSource';
import { SimBuses, simPort, type SimInfoView, type StartSim } from './simBuses';
import { restorePlanView, WritePlans, type RestoreResultRow } from './writes';

export type Rs485ServiceDeps = {
  dataDir: string;
  db: ConstructorParameters<typeof ParamsBackupStore>[0];
  history: HistoryRepository;
  events: EventHub;
  clock: Clock;
  logger: Logger;
  connector: UnitConnector;
  requireUnit: (name: string) => Unit;
  /** What a bus report's checks come to, cause before consequence (the diagnosis's findings); none without it. */
  findings?: ((checks: readonly CheckResult[]) => Promise<Finding[]>) | undefined;
  /** Replacements for tests: how a bus is opened, ports listed, a listen-only channel opened, a simulator started. */
  connectBus?: ConnectFn | undefined;
  lister?: PortLister | undefined;
  openChannel?: ((settings: BusSettings) => Promise<ByteChannel>) | undefined;
  startSim?: StartSim | undefined;
  timers?: Timers | undefined;
  /** The shipped register maps (AppLayout.resourcesDir/rs485). */
  shippedDir: string;
};

type ModuleRef = { type: ModuleType; address: number };

export class Rs485Service {
  readonly buses: BusRegistry;
  private readonly ports: PortService;
  private readonly maps: ProfileSource;
  private readonly monitors: MonitorService;
  private readonly writes: WritePlans;
  private readonly backups: ParamsBackupStore;
  private readonly firmware: FirmwareControl;
  private readonly sims: SimBuses;

  constructor(private readonly deps: Rs485ServiceDeps) {
    this.buses = new BusRegistry({ events: deps.events, clock: deps.clock, connect: deps.connectBus });
    this.ports = new PortService({
      events: deps.events,
      logger: deps.logger,
      lister: deps.lister,
      timers: deps.timers,
      busIdOf: (path) => this.buses.byPort(path)?.busId ?? null,
      extraPorts: () => this.sims.list().map((sim) => simPort(sim.port)),
    });
    this.maps = new ProfileSource({ dataDir: deps.dataDir, shippedDir: deps.shippedDir });
    this.monitors = new MonitorService({ events: deps.events, clock: deps.clock, timers: deps.timers });
    this.writes = new WritePlans({ clock: deps.clock, audit: deps.history });
    this.backups = new ParamsBackupStore(deps.db, deps.clock);
    this.firmware = new FirmwareControl({
      connector: deps.connector,
      audit: deps.history,
      requireUnit: deps.requireUnit,
    });
    this.sims = new SimBuses({ clock: deps.clock, start: deps.startSim, shippedDir: deps.shippedDir });
    this.buses.onEnded((held) => {
      this.writes.dropBus(held.busId);
      void this.monitors.busEnded(held.busId, 'the bus was released or its port went away');
    });
  }

  // ── ports, maps, buses ──────────────────────────────────────────────────────────────────────────────

  listPorts() {
    return this.ports.list();
  }

  async profiles() {
    const { catalog, selection } = await this.maps.reload();
    return {
      profiles: catalog.profiles.map((p) => ({
        id: p.id,
        moduleType: p.moduleType,
        title: p.title,
        version: p.version,
        source: p.origin,
        selected: selectProfile(catalog, p.moduleType, selection).profile.id === p.id,
        supersedes: p.supersedes ?? null,
        keptFlags: p.keptFlags ?? [],
      })),
      problems: catalog.problems,
    };
  }

  async connect(port: string, settings: BusSettingsParsed, simId: string | null = null): Promise<BusInfo> {
    const held = await this.buses.connect(toBusSettings(port, settings), simId);
    return this.buses.info(held);
  }

  release(busId: string): Promise<boolean> {
    return this.buses.release(busId);
  }

  listBuses(): BusInfo[] {
    return this.buses.list().map((held) => this.buses.info(held));
  }

  // ── scan and reads ──────────────────────────────────────────────────────────────────────────────────

  async scan(busId: string, request: ScanRequest): Promise<ScanResultView> {
    const held = this.buses.require(busId);
    if (held.scan !== null) {
      throw new AppError('CONFLICT', `A scan is already running on ${held.bus.settings.path}`, { details: { busId } });
    }
    const controller = new AbortController();
    held.scan = controller;
    try {
      const { catalog } = await this.maps.get();
      return await scanHeldBus(
        held,
        request,
        { catalog, expected: await this.maps.expectedModules() },
        {
          signal: controller.signal,
          onProgress: (p) => this.deps.events.emit('rs485.scanProgress', { busId, ...p }),
        },
      );
    } finally {
      if (held.scan === controller) {
        held.scan = null;
      }
    }
  }

  cancelScan(busId: string): boolean {
    const held = this.buses.require(busId);
    if (held.scan === null) {
      return false;
    }
    held.scan.abort();
    return true;
  }

  async readModule(busId: string, slave: number, type: ModuleType | undefined): Promise<ModuleReading> {
    const held = this.buses.require(busId);
    const id = await this.identify(held, slave, type);
    return readModule(held.bus.master, busId, id, this.deps.clock);
  }

  readRegisters(busId: string, request: RegisterReadRequest): Promise<RegisterReadView> {
    return readRegisters(this.buses.require(busId).bus.master, request, () => this.maps.get());
  }

  // ── diagnosis ───────────────────────────────────────────────────────────────────────────────────────

  async diagnose(busId: string, unitName: string | undefined, named?: readonly ModuleRef[]): Promise<DiagnosisReport> {
    const held = this.buses.require(busId);
    const unit = unitName === undefined ? undefined : this.deps.requireUnit(unitName);
    const modules = await this.maps.expectedModules(named);
    const masterCheck = unit ? (await this.firmware.secondMaster(unit.name)).check : undefined;
    const offline = await offlineReport({
      master: held.bus.master,
      modules,
      reportUnit: unit?.name ?? `rs485 ${held.bus.settings.path}`,
      masterCheck,
      clock: this.deps.clock,
    });
    const report: DiagnosisReport = {
      ...offline,
      scope: 'bus',
      ...(this.deps.findings ? { findings: await this.deps.findings(offline.checks) } : {}),
    };
    held.lastReport = report;
    if (unit) {
      this.deps.history.saveDiagnosis(report);
      this.deps.events.emit('units.changed', { name: unit.name });
    }
    return report;
  }

  lastDiagnosis(busId: string): DiagnosisReport | null {
    return this.buses.require(busId).lastReport;
  }

  secondMaster(unit: string): Promise<SecondMasterView> {
    return this.firmware.secondMaster(unit);
  }

  stopFirmware(unit: string, confirm: boolean, actor: string): Promise<StopFirmwareView> {
    return this.firmware.stopFirmware(unit, confirm, actor);
  }

  // ── writes ──────────────────────────────────────────────────────────────────────────────────────────

  async planWrite(input: {
    busId: string;
    slave: number;
    type?: ModuleType | undefined;
    register?: string | number | undefined;
    value?: string | number | undefined;
    action: 'write' | 'clearErrors';
    unit?: string | undefined;
  }): Promise<WritePlanView> {
    const held = this.buses.require(input.busId);
    if (input.unit !== undefined) {
      this.deps.requireUnit(input.unit);
    }
    if (input.action === 'write' && (input.register === undefined || input.value === undefined)) {
      throw new AppError('VALIDATION', 'A write names the register and the value');
    }
    const id = await this.identify(held, input.slave, input.type);
    return this.writes.plan(input.busId, held.bus.master, held.bus.settings.path, id, {
      action: input.action,
      register: typeof input.register === 'string' ? input.register.trim() : input.register,
      value: typeof input.value === 'string' ? input.value.trim() : input.value,
      unit: input.unit ?? null,
    });
  }

  applyWrite(planId: string, confirm: boolean, actor: string): Promise<WriteResultView> {
    return this.writes.apply(planId, confirm, actor, (busId) => this.buses.require(busId).bus.master);
  }

  // ── parameter backups ───────────────────────────────────────────────────────────────────────────────

  async backupParams(input: {
    busId: string;
    unit?: string | undefined;
    note?: string | undefined;
    modules?: readonly ModuleRef[] | undefined;
    actor: string;
  }): Promise<{ backup: ParamsBackupSummary; skipped: string[] }> {
    const held = this.buses.require(input.busId);
    if (input.unit !== undefined) {
      this.deps.requireUnit(input.unit);
    }
    const { present, skipped } = await this.presentModules(held, await this.maps.expectedModules(input.modules));
    if (present.length === 0) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `No expected module answered on ${held.bus.settings.path}: ${skipped.join('; ')}`,
      );
    }
    const backup = await backupParameters(held.bus.master, present, {
      unit: input.unit ?? null,
      actor: input.actor,
      note: input.note,
      store: this.backups,
      audit: this.deps.history,
    });
    return { backup: paramsBackupSummary(backup), skipped };
  }

  listBackups(unit: string | undefined, limit: number): ParamsBackupSummary[] {
    return this.backups.list(unit ?? null, limit);
  }

  getBackup(backupId: string): ParamsBackup {
    const backup = this.backups.get(backupId);
    if (!backup) {
      throw new AppError('NOT_FOUND', `No RS485 parameters backup ${backupId}`, { details: { backupId } });
    }
    return backup;
  }

  async planRestore(busId: string, backupId: string, unit: string | undefined) {
    const held = this.buses.require(busId);
    const backup = this.getBackup(backupId);
    const { present, skipped } = await this.presentModules(
      held,
      await this.maps.expectedModules(backup.modules.map((m) => ({ type: m.type, address: m.slave }))),
    );
    const planned = await this.writes.planRestore(busId, held.bus.master, backup, present, unit ?? backup.unit);
    const missing = backup.modules
      .filter((m) => !present.some((p) => p.type === m.type))
      .map((m) => ({
        type: m.type,
        address: m.slave,
        profileId: m.profileId,
        refused: skipped.find((s) => s.startsWith(MODULE_LABELS[m.type])) ?? `${MODULE_LABELS[m.type]} did not answer`,
        differences: [],
        same: [],
        skipped: [],
      }));
    return restorePlanView({ ...planned, busId, backupId }, missing);
  }

  async restore(
    planId: string,
    only: readonly string[] | undefined,
    confirm: boolean,
    actor: string,
  ): Promise<RestoreResultRow[]> {
    return this.writes.restore(planId, { only, confirm, actor }, (busId) => this.buses.require(busId).bus.master);
  }

  // ── monitors ────────────────────────────────────────────────────────────────────────────────────────

  async startMonitor(
    source: { kind: 'bus'; busId: string } | { kind: 'listen'; port: string; settings: BusSettingsParsed },
    capacity: number,
  ): Promise<MonitorInfoView> {
    if (source.kind === 'bus') {
      const held = this.buses.require(source.busId);
      if (held.monitorId !== null && this.monitors.list().some((m) => m.monitorId === held.monitorId && m.running)) {
        throw new AppError('CONFLICT', `A monitor already records ${held.bus.settings.path}`, {
          details: { monitorId: held.monitorId },
        });
      }
      const info = this.monitors.watchBus(held.busId, held.bus.settings.path, held.bus.master, capacity);
      held.monitorId = info.monitorId;
      return info;
    }
    if (this.buses.byPort(source.port) !== undefined) {
      throw new AppError(
        'SERIAL_PORT_BUSY',
        `This workstation is master on ${source.port}: monitor that bus instead of listening to its port`,
        { details: { path: source.port } },
      );
    }
    const open = this.deps.openChannel ?? ((s: BusSettings) => openSerialByteChannel(s));
    return this.monitors.listen(toBusSettings(source.port, source.settings), open, capacity);
  }

  async stopMonitor(monitorId: string): Promise<MonitorInfoView> {
    const info = await this.monitors.stop(monitorId);
    for (const held of this.buses.list()) {
      if (held.monitorId === monitorId) {
        held.monitorId = null;
      }
    }
    return info;
  }

  listMonitors(): MonitorInfoView[] {
    return this.monitors.list();
  }

  monitorFrames(monitorId: string, limit: number) {
    return this.monitors.frames(monitorId, limit);
  }

  exportMonitor(monitorId: string, format: 'text' | 'csv', path: string | undefined) {
    return this.monitors.export(monitorId, format, path);
  }

  // ── simulated buses ─────────────────────────────────────────────────────────────────────────────────

  async startSim(
    faults: SimFaultsInput,
    connect: BusSettingsParsed | null,
    link?: string,
  ): Promise<{ sim: SimInfoView; bus: BusInfo | null }> {
    const sim = await this.sims.start(faults, link);
    this.ports.announce('added', simPort(sim.port));
    if (connect === null) {
      return { sim, bus: null };
    }
    try {
      return { sim, bus: await this.connect(sim.port, connect, sim.simId) };
    } catch (error) {
      await this.sims.stop(sim.simId);
      throw error;
    }
  }

  setSimFaults(simId: string, faults: SimFaultsInput): SimInfoView {
    return this.sims.setFaults(simId, faults);
  }

  /** Stops the simulator after releasing every bus on its port (connected with it or by its path). */
  async stopSim(simId: string): Promise<boolean> {
    const port = this.sims.list().find((s) => s.simId === simId)?.port;
    for (const held of this.buses.list()) {
      if (held.simId === simId || held.bus.settings.path === port) {
        await this.buses.release(held.busId);
      }
    }
    const stopped = await this.sims.stop(simId);
    if (stopped && port !== undefined) {
      this.ports.announce('removed', simPort(port));
    }
    return stopped;
  }

  listSims(): SimInfoView[] {
    return this.sims.list();
  }

  async close(): Promise<void> {
    await this.monitors.closeAll();
    await this.buses.releaseAll();
    await this.sims.closeAll();
    await this.ports.close();
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────

  private async identify(
    held: HeldBus,
    slave: number,
    type: ModuleType | undefined,
  ): Promise<Extract<Identified, { ok: true }>> {
    const { catalog, selection } = await this.maps.get();
    const id = await identifyModule(held.bus.master, slave, catalog, { override: type, selection });
    if (!id.ok) {
      throw new AppError('PRECONDITION_FAILED', id.reason, { details: { slave, typeRaw: id.typeRaw } });
    }
    return id;
  }

  /** The expected modules that answer as what they should be; the others with why not. */
  private async presentModules(
    held: HeldBus,
    expected: readonly BusModule[],
  ): Promise<{ present: BusModule[]; skipped: string[] }> {
    const { catalog, selection } = await this.maps.get();
    const present: BusModule[] = [];
    const skipped: string[] = [];
    for (const module of expected) {
      const label = `${MODULE_LABELS[module.type]} at ${module.address}`;
      try {
        const id = await identifyModule(held.bus.master, module.address, catalog, { override: module.type, selection });
        if (id.ok) {
          present.push(id.module);
        } else {
          skipped.push(`${label}: ${id.reason}`);
        }
      } catch (error) {
        if (!isAppError(error) || !error.code.startsWith('MODBUS_')) {
          throw error;
        }
        skipped.push(`${label}: ${error.message}`);
      }
    }
    return { present, skipped };
  }
}
