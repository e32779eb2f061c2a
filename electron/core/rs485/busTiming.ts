/**
 * Bus timing: how long bytes take on the wire at a given baud rate and character format, and how long to
 * wait for a reply given that and the latency measured so far. All pure.
 */
import { AppError } from '../../../shared/errors/AppError';
import { DEFAULT_SERIAL_SETTINGS, type SerialSettings } from './modbusTypes';

export type CharacterFormat = Pick<SerialSettings, 'baudRate' | 'dataBits' | 'parity' | 'stopBits'>;

/** The master's timing on one bus. */
export type BusTiming = {
  /**
   * How long the slave may take to answer, counted from when the request has left the wire until the reply
   * begins (the master adds the request's wire time, and once the reply has begun, the reply's own).
   */
  timeoutMs: number;
  /** Extra attempts after a timeout or a CRC error; never after an exception reply. */
  retries: number;
  /** Silence kept on the line after the last byte of one exchange before the next request. */
  interFrameGapMs: number;
};

/** What the OHT-50 firmware uses (MODBUS_TIMEOUT_MS, MODBUS_RETRY_COUNT, the 50 ms gap after each exchange). */
export const FIRMWARE_BUS_TIMING: BusTiming = { timeoutMs: 1000, retries: 3, interFrameGapMs: 50 };

export type BusSettings = SerialSettings &
  BusTiming & {
    /** The adapter reads back what it sends (no automatic direction control): strip the echo of each request. */
    echoSuppression?: boolean;
  };

export const BAUD_RATES: readonly SerialSettings['baudRate'][] = [9600, 19200, 38400, 57600, 115200];

/** Bus settings with the firmware's defaults (115200 8N1, 1000 ms, 3 retries, 50 ms) for whatever is not given. */
export function busSettings(path: string, overrides: Partial<Omit<BusSettings, 'path'>> = {}): BusSettings {
  const settings: BusSettings = { path, ...DEFAULT_SERIAL_SETTINGS, ...FIRMWARE_BUS_TIMING, ...overrides };
  validateBusSettings(settings);
  return settings;
}

/** Throws VALIDATION naming the first setting the bus cannot use. */
export function validateBusSettings(settings: BusSettings): void {
  const fail = (message: string): never => {
    throw new AppError('VALIDATION', message, { details: { path: settings.path } });
  };
  if (typeof settings.path !== 'string' || settings.path.trim() === '') {
    fail('The serial port path is empty');
  }
  if (!BAUD_RATES.includes(settings.baudRate)) {
    fail(`The baud rate must be one of ${BAUD_RATES.join(', ')}, not ${String(settings.baudRate)}`);
  }
  if (settings.dataBits !== 8 && settings.dataBits !== 7) {
    fail(`Data bits must be 7 or 8, not ${String(settings.dataBits)}`);
  }
  if (!['none', 'even', 'odd'].includes(settings.parity)) {
    fail(`Parity must be none, even or odd, not ${String(settings.parity)}`);
  }
  if (settings.stopBits !== 1 && settings.stopBits !== 2) {
    fail(`Stop bits must be 1 or 2, not ${String(settings.stopBits)}`);
  }
  const ms = (name: string, value: number, max: number): void => {
    if (!Number.isFinite(value) || value < 0 || value > max) {
      fail(`${name} must be from 0 to ${max} ms, not ${String(value)}`);
    }
  };
  ms('The reply timeout', settings.timeoutMs, 60_000);
  ms('The inter-frame gap', settings.interFrameGapMs, 10_000);
  if (!Number.isInteger(settings.retries) || settings.retries < 0 || settings.retries > 10) {
    fail(`Retries must be a whole number from 0 to 10, not ${String(settings.retries)}`);
  }
}

/** Bits per character: start bit, data bits, parity bit if any, stop bits. */
export function bitsPerChar(format: CharacterFormat): number {
  return 1 + format.dataBits + (format.parity === 'none' ? 0 : 1) + format.stopBits;
}

export function charTimeMs(format: CharacterFormat): number {
  return (bitsPerChar(format) * 1000) / format.baudRate;
}

/** Wire time of `bytes` characters sent back to back. */
export function wireTimeMs(format: CharacterFormat, bytes: number): number {
  return bytes * charTimeMs(format);
}

/** The Modbus t3.5 silence that ends a frame: 3.5 characters, fixed at 1.75 ms above 19200 baud. */
export function frameSilenceMs(format: CharacterFormat): number {
  return format.baudRate > 19200 ? 1.75 : 3.5 * charTimeMs(format);
}

/** A request for one register and its reply: what a scan probe costs on the wire. */
const PROBE_REQUEST_BYTES = 8;
const PROBE_REPLY_BYTES = 7;

/**
 * The reply timeout a scan starts with before anything has been measured: the probe's and its reply's wire time,
 * plus a slave's turnaround with room to spare (the firmware waits 5 ms before reading, and a USB adapter's
 * latency timer adds up to 16 ms each way). A module slower than that is still found: its reply is recognised
 * when it comes late, and the module asked again with the bus's own timeout.
 */
export function initialScanTimeoutMs(format: CharacterFormat): number {
  return Math.ceil(30 + wireTimeMs(format, PROBE_REQUEST_BYTES + PROBE_REPLY_BYTES));
}

export type CalibrationInput = {
  format: CharacterFormat;
  /** Round trips measured so far (request written → reply complete), in ms. */
  latenciesMs: readonly number[];
  /** The bytes the probe puts on the wire, to take the wire time out of the measured round trip. */
  requestBytes?: number;
  replyBytes?: number;
  /** Never wait less than this for a reply; default 4 ms (a late reply is recognised, so noise costs a second look). */
  floorMs?: number;
  /** Never wait longer than this; default the initial scan timeout. */
  ceilingMs?: number;
};

/**
 * A reply timeout calibrated to what this bus has shown: the typical turnaround measured (the median round trip
 * without the wire time; one slow moment of a busy laptop must not stretch every later wait), three times over
 * plus 3 ms, kept between the floor and the ceiling. With nothing measured yet it is the ceiling.
 */
export function calibratedTimeoutMs(input: CalibrationInput): number {
  const ceiling = input.ceilingMs ?? initialScanTimeoutMs(input.format);
  const floor = Math.min(input.floorMs ?? 4, ceiling);
  if (input.latenciesMs.length === 0) {
    return ceiling;
  }
  const wire = wireTimeMs(
    input.format,
    (input.requestBytes ?? PROBE_REQUEST_BYTES) + (input.replyBytes ?? PROBE_REPLY_BYTES),
  );
  const sorted = [...input.latenciesMs].sort((a, b) => a - b);
  const typical = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const turnaround = Math.max(0, typical - wire);
  return Math.min(ceiling, Math.max(floor, Math.ceil(turnaround * 3 + 3)));
}
