/**
 * Bus monitors for the bus page: the frames of a connected bus (what the master sends and hears), or of a port
 * listened to without sending. Each monitor keeps a bounded ring for export and sends its frames as events in
 * bounded batches, at most every BATCH_MS; frames that came faster than a batch could carry are counted as dropped
 * from the events (the ring still holds them).
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';

import { AppError } from '../../../../shared/errors/AppError';
import type { BusFrameView } from '../../../../shared/ipc/contracts/rs485';
import type { EventHub } from '../../ports/EventHub';
import type { Clock } from '../../ports/Clock';
import { systemTimers, type TimerHandle, type Timers } from '../../ports/Timers';
import { BusMonitor, exportFrames, sniffBus, type ExportFormat } from '../busMonitor';
import type { ByteChannel } from '../ByteChannel';
import type { BusSettings } from '../busTiming';
import { toHex } from '../frame';
import type { BusFrame, ModbusMaster } from '../modbusTypes';

export const BATCH_MS = 100;
export const MAX_BATCH = 500;

export type MonitorInfoView = {
  monitorId: string;
  kind: 'bus' | 'listen';
  busId: string | null;
  port: string;
  startedAt: string;
  frames: number;
  dropped: number;
  capacity: number;
  running: boolean;
};

export function frameView(frame: BusFrame): BusFrameView {
  return {
    at: frame.at,
    direction: frame.direction,
    hex: toHex(frame.bytes),
    crcOk: frame.crcOk,
    meaning: frame.meaning,
  };
}

type Running = {
  info: Omit<MonitorInfoView, 'frames' | 'dropped' | 'running'>;
  monitor: BusMonitor;
  pending: BusFrame[];
  droppedFromEvents: number;
  timer: TimerHandle | null;
  running: boolean;
  stop: () => Promise<void>;
};

export class MonitorService {
  private readonly monitors = new Map<string, Running>();
  private readonly timers: Timers;

  constructor(private readonly deps: { events: EventHub; clock: Clock; timers?: Timers | undefined }) {
    this.timers = deps.timers ?? systemTimers;
  }

  /** Records the frames of a bus's master; stops with the bus. */
  watchBus(busId: string, port: string, master: ModbusMaster, capacity: number): MonitorInfoView {
    const running = this.create({ kind: 'bus', busId, port }, capacity);
    const off = running.monitor.attach(master);
    running.stop = async () => off();
    return this.view(running);
  }

  /** Listens to a port another master drives; sends nothing. */
  async listen(settings: BusSettings, open: (settings: BusSettings) => Promise<ByteChannel>, capacity: number) {
    const channel = await open(settings);
    const running = this.create({ kind: 'listen', busId: null, port: settings.path }, capacity);
    const stopSniffing = sniffBus(channel, (frame) => running.monitor.add(frame), { format: settings });
    channel.onClose((reason) => {
      if (running.running) {
        void this.end(running, reason.message);
      }
    });
    running.stop = async () => {
      stopSniffing();
      await channel.close();
    };
    return this.view(running);
  }

  require(monitorId: string): Running {
    const running = this.monitors.get(monitorId);
    if (!running) {
      throw new AppError('NOT_FOUND', `No bus monitor ${monitorId}`, { details: { monitorId } });
    }
    return running;
  }

  async stop(monitorId: string): Promise<MonitorInfoView> {
    const running = this.require(monitorId);
    await this.end(running, null);
    return this.view(running);
  }

  /** Ends the monitors of a bus that went away; they stay readable for export. */
  async busEnded(busId: string, reason: string | null): Promise<void> {
    for (const running of this.monitors.values()) {
      if (running.info.busId === busId && running.running) {
        await this.end(running, reason);
      }
    }
  }

  list(): MonitorInfoView[] {
    return [...this.monitors.values()].map((r) => this.view(r));
  }

  frames(monitorId: string, limit: number): { monitor: MonitorInfoView; frames: BusFrameView[] } {
    const running = this.require(monitorId);
    return { monitor: this.view(running), frames: running.monitor.frames().slice(-limit).map(frameView) };
  }

  async export(
    monitorId: string,
    format: ExportFormat,
    path: string | undefined,
  ): Promise<{ format: ExportFormat; frames: number; path: string | null; content: string | null }> {
    const running = this.require(monitorId);
    const frames = running.monitor.frames();
    const content = exportFrames(frames, format);
    if (path === undefined) {
      return { format, frames: frames.length, path: null, content };
    }
    try {
      await writeFile(path, content, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new AppError(
        code === 'ENOSPC' ? 'DISK_FULL' : 'VALIDATION',
        `Cannot write ${path}: ${code ?? String(error)}`,
        {
          details: { path },
        },
      );
    }
    return { format, frames: frames.length, path, content: null };
  }

  async closeAll(): Promise<void> {
    for (const running of this.monitors.values()) {
      if (running.running) {
        await this.end(running, 'the workstation closed');
      }
    }
    this.monitors.clear();
  }

  private create(where: { kind: 'bus' | 'listen'; busId: string | null; port: string }, capacity: number): Running {
    const running: Running = {
      info: { monitorId: randomUUID(), ...where, startedAt: this.deps.clock.nowIso(), capacity },
      monitor: new BusMonitor(capacity),
      pending: [],
      droppedFromEvents: 0,
      timer: null,
      running: true,
      stop: async () => undefined,
    };
    running.monitor.onFrame((frame) => this.queue(running, frame));
    this.monitors.set(running.info.monitorId, running);
    return running;
  }

  private queue(running: Running, frame: BusFrame): void {
    if (running.pending.length >= MAX_BATCH) {
      running.droppedFromEvents += 1;
    } else {
      running.pending.push(frame);
    }
    if (running.timer === null) {
      running.timer = this.timers.setTimeout(() => {
        running.timer = null;
        this.flush(running);
      }, BATCH_MS);
    }
  }

  private flush(running: Running): void {
    if (running.pending.length === 0 && running.droppedFromEvents === 0) {
      return;
    }
    const frames = running.pending.map(frameView);
    const dropped = running.droppedFromEvents;
    running.pending = [];
    running.droppedFromEvents = 0;
    this.deps.events.emit('rs485.frames', {
      monitorId: running.info.monitorId,
      busId: running.info.busId,
      frames,
      dropped,
    });
  }

  private async end(running: Running, reason: string | null): Promise<void> {
    if (!running.running) {
      return;
    }
    running.running = false;
    await running.stop();
    if (running.timer !== null) {
      this.timers.clearTimeout(running.timer);
      running.timer = null;
    }
    this.flush(running);
    this.deps.events.emit('rs485.monitorEnded', { monitorId: running.info.monitorId, reason });
  }

  private view(running: Running): MonitorInfoView {
    return {
      ...running.info,
      frames: running.monitor.frames().length,
      dropped: running.monitor.dropped,
      running: running.running,
    };
  }
}
