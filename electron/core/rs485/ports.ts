/**
 * Serial ports on this machine, and a watcher that notices adapters being plugged in and pulled out by
 * polling the list and comparing it with the previous one.
 */

import { silentLogger, type Logger } from '../ports/Logger';
import { listSysfsPorts } from './sysfsPorts';
import { systemTimers, type TimerHandle, type Timers } from '../ports/Timers';

/** What serialport's list() reports for one port. */
export type RawPortInfo = {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  locationId?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
};

export type SerialPortEntry = {
  path: string;
  /** "1a86:7523", lower-case hex, or null when the port is not a USB device. */
  vidPid: string | null;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
  pnpId: string | null;
  /** What this adapter probably is, for the technician: e.g. the CH340 the OHT-50 developers use. */
  hint: string | null;
};

export type PortLister = () => Promise<RawPortInfo[]>;

/**
 * The system's ports through serialport's native binding (loaded on first use: most commands never need it); on
 * Linux without `udevadm` (which that binding runs), straight from sysfs instead of failing.
 */
export const systemPortLister: PortLister = async () => {
  const { SerialPort } = await import('serialport');
  let ports: unknown;
  try {
    ports = await SerialPort.list();
  } catch (error) {
    if (process.platform === 'linux' && isMissingProgram(error)) {
      return listSysfsPorts();
    }
    throw error;
  }
  return Array.isArray(ports) ? ports.flatMap(rawPortInfo) : [];
};

const isMissingProgram = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function rawPortInfo(value: unknown): RawPortInfo[] {
  if (typeof value !== 'object' || value === null || !('path' in value) || typeof value.path !== 'string') {
    return [];
  }
  const info = value as Record<string, unknown>;
  return [
    {
      path: value.path,
      manufacturer: text(info.manufacturer),
      serialNumber: text(info.serialNumber),
      pnpId: text(info.pnpId),
      locationId: text(info.locationId),
      vendorId: text(info.vendorId),
      productId: text(info.productId),
    },
  ];
}

/** Adapters seen around OHT-50 vehicles, by USB VID:PID. */
export const KNOWN_ADAPTERS: Readonly<Record<string, string>> = {
  '1a86:7523': 'CH340 USB-RS485 adapter (the one the OHT-50 developers use)',
  '0403:6001': 'FTDI FT232R USB-serial adapter',
  '0403:6015': 'FTDI FT231X USB-serial adapter',
  '10c4:ea60': 'CP210x USB-UART (the OHT-50 LiDAR uses a CP2102N: probably not the RS485 bus)',
  '067b:2303': 'Prolific PL2303 USB-serial adapter',
};

const hex4 = (value: string | undefined): string | null =>
  value === undefined || value === '' ? null : value.toLowerCase().replace(/^0x/, '').padStart(4, '0');

export function toPortEntry(info: RawPortInfo): SerialPortEntry {
  const vendorId = hex4(info.vendorId);
  const productId = hex4(info.productId);
  const vidPid = vendorId !== null && productId !== null ? `${vendorId}:${productId}` : null;
  return {
    path: info.path,
    vidPid,
    vendorId,
    productId,
    manufacturer: info.manufacturer ?? null,
    serialNumber: info.serialNumber ?? null,
    pnpId: info.pnpId ?? null,
    hint: vidPid === null ? null : (KNOWN_ADAPTERS[vidPid] ?? null),
  };
}

/** The ports, USB adapters first (the known RS485 adapter first of all), then by path. */
export async function listSerialPorts(lister: PortLister = systemPortLister): Promise<SerialPortEntry[]> {
  const rank = (entry: SerialPortEntry): number => (entry.vidPid === '1a86:7523' ? 0 : entry.vidPid !== null ? 1 : 2);
  return (await lister()).map(toPortEntry).sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

/** Identity of a plugged-in device at a path: the same path with another adapter is a removal and an addition. */
const portKey = (entry: SerialPortEntry): string => `${entry.path}|${entry.vidPid ?? ''}|${entry.serialNumber ?? ''}`;

export function diffPorts(
  before: readonly SerialPortEntry[],
  after: readonly SerialPortEntry[],
): { added: SerialPortEntry[]; removed: SerialPortEntry[] } {
  const beforeKeys = new Set(before.map(portKey));
  const afterKeys = new Set(after.map(portKey));
  return {
    added: after.filter((entry) => !beforeKeys.has(portKey(entry))),
    removed: before.filter((entry) => !afterKeys.has(portKey(entry))),
  };
}

export type PortEvent = { kind: 'added' | 'removed'; port: SerialPortEntry };

export type PortWatcherOptions = {
  lister?: PortLister;
  timers?: Timers;
  intervalMs?: number;
  logger?: Logger;
};

/**
 * Polls the port list and reports what changed. The first poll only sets the baseline (read it with current());
 * a failing poll is logged and the next one tries again.
 */
export class PortWatcher {
  private readonly lister: PortLister;
  private readonly timers: Timers;
  private readonly intervalMs: number;
  private readonly logger: Logger;
  private readonly listeners = new Set<(event: PortEvent) => void>();
  private ports: SerialPortEntry[] | null = null;
  private timer: TimerHandle | null = null;
  private running = false;
  private polling: Promise<void> | null = null;

  constructor(options: PortWatcherOptions = {}) {
    this.lister = options.lister ?? systemPortLister;
    this.timers = options.timers ?? systemTimers;
    this.intervalMs = options.intervalMs ?? 1000;
    this.logger = options.logger ?? silentLogger;
  }

  onChange(listener: (event: PortEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The ports as of the last poll (empty before the first). */
  current(): SerialPortEntry[] {
    return [...(this.ports ?? [])];
  }

  /** Starts polling; resolves once the baseline is known. */
  async start(): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    await this.poll();
    this.schedule();
  }

  /** Polls now (tests and a "refresh" button); resolves when the events of this poll are out. */
  async poll(): Promise<void> {
    if (this.polling) {
      return this.polling;
    }
    this.polling = this.pollOnce().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
    await this.polling;
  }

  private schedule(): void {
    if (!this.running) {
      return;
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.poll().then(() => this.schedule());
    }, this.intervalMs);
  }

  private async pollOnce(): Promise<void> {
    let next: SerialPortEntry[];
    try {
      next = await listSerialPorts(this.lister);
    } catch (error) {
      this.logger.warn('listing serial ports failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    const previous = this.ports;
    this.ports = next;
    if (previous === null) {
      return;
    }
    const { added, removed } = diffPorts(previous, next);
    const events: PortEvent[] = [
      ...removed.map((port) => ({ kind: 'removed' as const, port })),
      ...added.map((port) => ({ kind: 'added' as const, port })),
    ];
    for (const event of events) {
      for (const listener of [...this.listeners]) {
        try {
          listener(event);
        } catch (error) {
          this.logger.warn('a port listener failed', { error: String(error) });
        }
      }
    }
  }
}
