/**
 * The Modbus RTU master's public shape, fixed first so that the bus doctor (scan, profiles, diagnosis, safe writes)
 * and the master itself can be built side by side. One client per bus; it keeps exactly one request in flight.
 */

export type SerialSettings = {
  path: string;
  baudRate: 9600 | 19200 | 38400 | 57600 | 115200;
  dataBits: 8 | 7;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
};

export const DEFAULT_SERIAL_SETTINGS: Omit<SerialSettings, 'path'> = {
  baudRate: 115200,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
};

export type RequestOptions = {
  /** Per-request reply timeout; defaults to the bus settings (calibrated to the baud rate). */
  timeoutMs?: number;
  /** Extra attempts after a timeout or CRC error (never after an exception reply). */
  retries?: number;
  signal?: AbortSignal;
};

/** What the bus monitor shows: every frame with its time, direction, bytes and how it decoded. */
export type BusFrame = {
  at: number;
  direction: 'tx' | 'rx';
  bytes: Uint8Array;
  crcOk: boolean;
  /** e.g. "slave 2 FC03 read 0x0100 ×1", "slave 2 exception 02 (illegal data address)". */
  meaning: string;
};

/** Per-slave line quality, for the rs485.* line checks. */
export type LineStats = {
  requests: number;
  timeouts: number;
  crcErrors: number;
  exceptions: number;
  latenciesMs: number[];
};

export type ModbusMaster = {
  readHoldingRegisters(slave: number, address: number, count: number, options?: RequestOptions): Promise<number[]>;
  readInputRegisters(slave: number, address: number, count: number, options?: RequestOptions): Promise<number[]>;
  writeSingleRegister(slave: number, address: number, value: number, options?: RequestOptions): Promise<void>;
  writeMultipleRegisters(slave: number, address: number, values: number[], options?: RequestOptions): Promise<void>;
  onFrame(listener: (frame: BusFrame) => void): () => void;
  /** Replies that arrive after their request's wait had ended, recognised by slave, function and CRC. */
  onLateReply(listener: (late: { slave: number; afterMs: number }) => void): () => void;
  stats(slave: number): LineStats;
  close(): Promise<void>;
};
