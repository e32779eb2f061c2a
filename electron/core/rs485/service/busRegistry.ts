/**
 * The buses the workstation holds, by busId: connected explicitly, released explicitly (or when the port goes away,
 * or when the core closes). One bus per port; the bus's own master keeps one request in flight whoever asks.
 */
import { randomUUID } from 'node:crypto';

import type { BusInfo, BusSettingsParsed, BusSettingsView } from '../../../../shared/ipc/contracts/rs485';
import type { DiagnosisReport } from '../../../../shared/domain/health';
import { AppError } from '../../../../shared/errors/AppError';
import type { EventHub } from '../../ports/EventHub';
import type { Clock } from '../../ports/Clock';
import { busSettings, type BusSettings } from '../busTiming';
import { connectBus, type Rs485Bus } from '../connectBus';

export type ConnectFn = (settings: BusSettings) => Promise<Rs485Bus>;

export type HeldBus = {
  readonly busId: string;
  readonly bus: Rs485Bus;
  readonly connectedAt: string;
  /** The simulated bus this is the master end of, if it is one. */
  readonly simId: string | null;
  /** The running scan's abort, while one runs. */
  scan: AbortController | null;
  monitorId: string | null;
  /** The latest offline diagnosis of this bus, kept while it is held so every face can show it. */
  lastReport: DiagnosisReport | null;
};

/** The contract's bus settings (all given, defaults applied by the schema) as the master's. */
export function toBusSettings(port: string, input: BusSettingsParsed): BusSettings {
  return busSettings(port, {
    baudRate: input.baudRate,
    dataBits: input.dataBits,
    parity: input.parity,
    stopBits: input.stopBits,
    timeoutMs: input.timeoutMs,
    retries: input.retries,
    interFrameGapMs: input.gapMs,
    echoSuppression: input.echoSuppression,
  });
}

export function settingsView(settings: BusSettings): BusSettingsView {
  return {
    baudRate: settings.baudRate,
    dataBits: settings.dataBits,
    parity: settings.parity,
    stopBits: settings.stopBits,
    timeoutMs: settings.timeoutMs,
    retries: settings.retries,
    gapMs: settings.interFrameGapMs,
    echoSuppression: settings.echoSuppression ?? false,
  };
}

export class BusRegistry {
  private readonly held = new Map<string, HeldBus>();
  /** Ports being opened, so that two connects to one port at once cannot both get through. */
  private readonly opening = new Set<string>();
  private readonly closeListeners = new Set<(held: HeldBus) => void>();

  constructor(private readonly deps: { events: EventHub; clock: Clock; connect?: ConnectFn | undefined }) {}

  async connect(settings: BusSettings, simId: string | null = null): Promise<HeldBus> {
    const path = settings.path;
    if (this.byPort(path) !== undefined || this.opening.has(path)) {
      throw new AppError('SERIAL_PORT_BUSY', `This workstation is already connected to ${path}`, {
        details: { path },
      });
    }
    this.opening.add(path);
    let bus: Rs485Bus;
    try {
      bus = await (this.deps.connect ?? ((s: BusSettings) => connectBus(s)))(settings);
    } finally {
      this.opening.delete(path);
    }
    const held: HeldBus = {
      busId: randomUUID(),
      bus,
      connectedAt: this.deps.clock.nowIso(),
      simId,
      scan: null,
      monitorId: null,
      lastReport: null,
    };
    this.held.set(held.busId, held);
    bus.onClose((reason) => {
      // A release removed it already; here only when the port went away under the bus.
      if (this.held.get(held.busId) === held) {
        this.held.delete(held.busId);
        this.ended(held, 'lost', reason.message);
      }
    });
    this.deps.events.emit('rs485.busChanged', { busId: held.busId, port: path, state: 'connected', reason: null });
    return held;
  }

  /** The bus, or NOT_FOUND naming what to do. */
  require(busId: string): HeldBus {
    const held = this.held.get(busId);
    if (!held || !held.bus.isOpen) {
      throw new AppError('NOT_FOUND', `No connected RS485 bus ${busId}: connect to the port first (rs485.connect)`, {
        details: { busId },
      });
    }
    return held;
  }

  byPort(path: string): HeldBus | undefined {
    return [...this.held.values()].find((h) => h.bus.settings.path === path && h.bus.isOpen);
  }

  list(): HeldBus[] {
    return [...this.held.values()].filter((h) => h.bus.isOpen);
  }

  info(held: HeldBus): BusInfo {
    return {
      busId: held.busId,
      port: held.bus.settings.path,
      settings: settingsView(held.bus.settings),
      connectedAt: held.connectedAt,
      scanning: held.scan !== null,
      monitorId: held.monitorId,
      simId: held.simId,
    };
  }

  /** Called (once) for every bus that ends, released or lost, before the event goes out. */
  onEnded(listener: (held: HeldBus) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Stops a running scan, fails what is queued and frees the port. False when there was no such bus. */
  async release(busId: string): Promise<boolean> {
    const held = this.held.get(busId);
    if (!held) {
      return false;
    }
    this.held.delete(busId);
    held.scan?.abort();
    await held.bus.release();
    this.ended(held, 'released', null);
    return true;
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((busId) => this.release(busId)));
  }

  private ended(held: HeldBus, state: 'released' | 'lost', reason: string | null): void {
    held.scan?.abort();
    for (const listener of [...this.closeListeners]) {
      listener(held);
    }
    this.deps.events.emit('rs485.busChanged', {
      busId: held.busId,
      port: held.bus.settings.path,
      state,
      reason,
    });
  }
}
