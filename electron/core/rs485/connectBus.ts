/**
 * Connecting to an RS485 bus and letting go of it. The port stays locked while connected; release() frees it
 * so that a flashing tool can open it.
 */
import { AppError } from '../../../shared/errors/AppError';
import type { Clock } from '../ports/Clock';
import { silentLogger, type Logger } from '../ports/Logger';
import type { Timers } from '../ports/Timers';
import { validateBusSettings, type BusSettings } from './busTiming';
import { ModbusRtuMaster } from './ModbusRtuMaster';
import { openSerialByteChannel, type SerialPortFactory } from './SerialByteChannel';

export type ConnectBusOptions = {
  createPort?: SerialPortFactory;
  clock?: Clock;
  timers?: Timers;
  logger?: Logger;
};

export type Rs485Bus = {
  readonly settings: BusSettings;
  readonly master: ModbusRtuMaster;
  readonly isOpen: boolean;
  /** Once, when the bus closes: released, or the port went away. */
  onClose(listener: (reason: AppError) => void): () => void;
  /** Fails pending requests, closes the port and frees its lock. Idempotent. */
  release(): Promise<void>;
};

/** Opens the port and puts a Modbus master on it. */
export async function connectBus(settings: BusSettings, options: ConnectBusOptions = {}): Promise<Rs485Bus> {
  validateBusSettings(settings);
  const logger = (options.logger ?? silentLogger).child({ port: settings.path });
  const channel = await openSerialByteChannel(settings, { createPort: options.createPort, logger });
  const master = new ModbusRtuMaster(channel, {
    timing: settings,
    format: settings,
    echoSuppression: settings.echoSuppression ?? false,
    clock: options.clock,
    timers: options.timers,
    logger,
  });
  return {
    settings: { ...settings },
    master,
    get isOpen() {
      return master.isOpen;
    },
    onClose: (listener) => master.onClose(listener),
    release: () => master.close(),
  };
}

/** The buses this app holds, one per port path: connect refuses a second master on a port, release frees it. */
export class BusConnections {
  private readonly buses = new Map<string, Rs485Bus>();

  constructor(private readonly options: ConnectBusOptions = {}) {}

  async connect(settings: BusSettings): Promise<Rs485Bus> {
    const existing = this.buses.get(settings.path);
    if (existing?.isOpen) {
      throw new AppError('SERIAL_PORT_BUSY', `This workstation is already connected to ${settings.path}`, {
        details: { path: settings.path },
      });
    }
    const bus = await connectBus(settings, this.options);
    this.buses.set(settings.path, bus);
    bus.onClose(() => {
      if (this.buses.get(settings.path) === bus) {
        this.buses.delete(settings.path);
      }
    });
    return bus;
  }

  get(path: string): Rs485Bus | undefined {
    const bus = this.buses.get(path);
    return bus?.isOpen ? bus : undefined;
  }

  paths(): string[] {
    return [...this.buses.keys()].filter((path) => this.buses.get(path)?.isOpen);
  }

  async release(path: string): Promise<void> {
    const bus = this.buses.get(path);
    this.buses.delete(path);
    await bus?.release();
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.buses.keys()].map((path) => this.release(path)));
  }
}
