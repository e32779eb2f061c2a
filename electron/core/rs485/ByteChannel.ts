import type { AppError } from '../../../shared/errors/AppError';

/**
 * A raw byte pipe to the bus: what the Modbus master and the bus monitor need from a serial port, and all a
 * test or a simulator has to provide. No framing and no timing here.
 */
export type ByteChannel = {
  /** A label for messages, e.g. the port path. */
  readonly label: string;
  readonly isOpen: boolean;
  /** Resolves once the bytes are handed to the driver (not when they are on the wire); rejects SERIAL_PORT_CLOSED. */
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /** Once, when the channel closes: by close() or because the port went away (then with SERIAL_PORT_CLOSED). */
  onClose(listener: (reason: AppError) => void): () => void;
  /** Idempotent; releases the port so another program (a flashing tool) can open it. */
  close(): Promise<void>;
};
