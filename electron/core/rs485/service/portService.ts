/**
 * Serial ports for the bus page: the list (each with the busId when this workstation holds it) and hot-plug events.
 * The port watcher starts with the first question and runs until the core closes.
 */
import type { SerialPortView } from '../../../../shared/ipc/contracts/rs485';
import type { EventHub } from '../../ports/EventHub';
import type { Logger } from '../../ports/Logger';
import type { Timers } from '../../ports/Timers';
import { PortWatcher, systemPortLister, type PortLister, type SerialPortEntry } from '../ports';

export class PortService {
  private readonly watcher: PortWatcher;
  private started: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      events: EventHub;
      logger: Logger;
      /** The busId holding a port, if any. */
      busIdOf: (path: string) => string | null;
      /** Ports the system does not list but a master may open: the simulated buses' pseudo-terminals. */
      extraPorts?: (() => SerialPortEntry[]) | undefined;
      lister?: PortLister | undefined;
      timers?: Timers | undefined;
      intervalMs?: number | undefined;
    },
  ) {
    this.watcher = new PortWatcher({
      lister: deps.lister ?? systemPortLister,
      timers: deps.timers,
      intervalMs: deps.intervalMs ?? 1000,
      logger: deps.logger,
    });
    this.watcher.onChange((event) => {
      this.announce(event.kind, event.port);
    });
  }

  /** Tells the pages that a port came or went (the watcher's finds, and simulated buses started or stopped). */
  announce(kind: 'added' | 'removed', port: SerialPortEntry): void {
    this.deps.events.emit('rs485.portsChanged', { kind, port: this.view(port), ports: this.current() });
  }

  /** The ports now (polled afresh), adapters known for RS485 first. */
  async list(): Promise<SerialPortView[]> {
    if (this.started === null) {
      this.started = this.watcher.start();
    }
    await this.started;
    await this.watcher.poll();
    return this.current();
  }

  private current(): SerialPortView[] {
    return [...this.watcher.current(), ...(this.deps.extraPorts?.() ?? [])].map((p) => this.view(p));
  }

  async close(): Promise<void> {
    await this.watcher.stop();
  }

  private view(port: SerialPortEntry): SerialPortView {
    return { ...port, busId: this.deps.busIdOf(port.path) };
  }
}
