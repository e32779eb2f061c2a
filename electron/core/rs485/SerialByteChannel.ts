import { AppError } from '../../../shared/errors/AppError';
import { silentLogger, type Logger } from '../ports/Logger';
import type { ByteChannel } from './ByteChannel';
import type { SerialSettings } from './modbusTypes';

/** The options this channel opens a port with (a subset of serialport's). */
export type SerialPortOpenOptions = {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
  autoOpen: false;
};

/** The part of a serialport stream this channel uses; `SerialPort` and `SerialPortMock` both fit. */
export type SerialPortLike = {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  write(data: Buffer, callback: (error: Error | null | undefined) => void): boolean;
  close(callback: (error: Error | null) => void): void;
  on(event: 'data' | 'close' | 'error', listener: (...args: never[]) => void): unknown;
  removeAllListeners(): unknown;
};

export type SerialPortFactory = (options: SerialPortOpenOptions) => SerialPortLike;

/** The real serial ports, through serialport's native binding (loaded on first use: most commands never need it). */
export async function systemSerialPortFactory(): Promise<SerialPortFactory> {
  const { SerialPort } = await import('serialport');
  return (options) => new SerialPort(options);
}

export type OpenSerialOptions = {
  createPort?: SerialPortFactory;
  logger?: Logger;
};

/** Opens the port with the settings' character format; open failures come back as typed errors. */
export async function openSerialByteChannel(
  settings: SerialSettings,
  options: OpenSerialOptions = {},
): Promise<SerialByteChannel> {
  const createPort = options.createPort ?? (await systemSerialPortFactory());
  let port: SerialPortLike;
  try {
    port = createPort({
      path: settings.path,
      baudRate: settings.baudRate,
      dataBits: settings.dataBits,
      parity: settings.parity,
      stopBits: settings.stopBits,
      autoOpen: false,
    });
  } catch (error) {
    throw mapOpenError(settings.path, error);
  }
  await new Promise<void>((resolve, reject) => {
    port.open((error) => (error ? reject(mapOpenError(settings.path, error)) : resolve()));
  });
  return new SerialByteChannel(port, settings.path, options.logger ?? silentLogger);
}

/** ENOENT → SERIAL_PORT_NOT_FOUND, a lock held by another program → SERIAL_PORT_BUSY, anything else → CONNECT_FAILED. */
export function mapOpenError(path: string, error: unknown): AppError {
  const text = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const details = { path, reason: text };
  if (code === 'ENOENT' || /no such file|does not exist|ENOENT/i.test(text)) {
    return new AppError('SERIAL_PORT_NOT_FOUND', `There is no serial port ${path} (is the adapter plugged in?)`, {
      details,
      cause: error,
    });
  }
  if (code === 'EBUSY' || /cannot lock|locked|resource temporarily unavailable|EBUSY|EAGAIN/i.test(text)) {
    return new AppError('SERIAL_PORT_BUSY', `The serial port ${path} is in use by another program`, {
      details,
      cause: error,
      retryable: true,
    });
  }
  if (code === 'EACCES' || /permission denied|EACCES/i.test(text)) {
    return new AppError(
      'CONNECT_FAILED',
      `No permission to open ${path} (add the user to the dialout group, then log in again)`,
      { details, cause: error },
    );
  }
  return new AppError('CONNECT_FAILED', `Could not open the serial port ${path}: ${text}`, { details, cause: error });
}

type PendingWrite = { reject: (error: AppError) => void };

/** A ByteChannel over an open serialport stream. */
export class SerialByteChannel implements ByteChannel {
  private readonly dataListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly closeListeners = new Set<(reason: AppError) => void>();
  private readonly pendingWrites = new Set<PendingWrite>();
  private closeReason: AppError | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly port: SerialPortLike,
    readonly label: string,
    private readonly logger: Logger,
  ) {
    port.on('data', (chunk: Buffer) => {
      for (const listener of this.dataListeners) {
        listener(chunk);
      }
    });
    port.on('close', (error: (Error & { disconnected?: boolean }) | null) => {
      if (this.closeReason === null) {
        this.logger.warn('serial port closed', { path: label, reason: error?.message });
        this.markClosed(this.wentAway(error?.message ?? 'closed'));
      }
    });
    port.on('error', (error: Error) => {
      this.logger.warn('serial port error', { path: label, error: error.message });
      if (!this.port.isOpen && this.closeReason === null) {
        this.markClosed(
          new AppError('SERIAL_PORT_CLOSED', `The serial port ${label} failed: ${error.message}`, {
            details: { path: label, reason: error.message },
          }),
        );
      }
    });
  }

  get isOpen(): boolean {
    return this.closeReason === null;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closeReason !== null) {
      return Promise.reject(this.closeReason);
    }
    return new Promise<void>((resolve, reject) => {
      const pending: PendingWrite = { reject };
      this.pendingWrites.add(pending);
      this.port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) => {
        if (!this.pendingWrites.delete(pending)) {
          return;
        }
        if (error) {
          // A serial port that refuses a write (EIO, EBADF) is gone; serialport retries the harmless cases itself.
          this.logger.warn('serial port write failed', { path: this.label, error: error.message });
          this.markClosed(this.wentAway(error.message));
          reject(this.closeReason ?? this.wentAway(error.message));
        } else {
          resolve();
        }
      });
    });
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (reason: AppError) => void): () => void {
    if (this.closeReason !== null) {
      const reason = this.closeReason;
      queueMicrotask(() => listener(reason));
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): Promise<void> {
    if (this.closing) {
      return this.closing;
    }
    const wasOpen = this.port.isOpen;
    this.markClosed(
      new AppError('SERIAL_PORT_CLOSED', `The serial port ${this.label} was released`, {
        details: { path: this.label, reason: 'released' },
      }),
    );
    this.closing = new Promise<void>((resolve) => {
      if (!wasOpen) {
        resolve();
        return;
      }
      this.port.close((error) => {
        if (error) {
          this.logger.debug('closing the serial port failed', { path: this.label, error: error.message });
        }
        resolve();
      });
    }).finally(() => {
      this.port.removeAllListeners();
      // A late 'error' from the native side after close must not become an uncaught exception.
      this.port.on('error', () => undefined);
    });
    return this.closing;
  }

  private wentAway(reason: string): AppError {
    return new AppError('SERIAL_PORT_CLOSED', `The serial port ${this.label} went away (adapter unplugged?)`, {
      details: { path: this.label, reason },
    });
  }

  private markClosed(reason: AppError): void {
    if (this.closeReason !== null) {
      return;
    }
    this.closeReason = reason;
    for (const pending of [...this.pendingWrites]) {
      pending.reject(reason);
    }
    this.pendingWrites.clear();
    this.dataListeners.clear();
    for (const listener of [...this.closeListeners]) {
      listener(reason);
    }
    this.closeListeners.clear();
  }
}
