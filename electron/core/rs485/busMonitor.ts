/**
 * The bus monitor: a bounded ring of frames (from the master's onFrame, or from a passive sniffer on a port
 * another master drives), each with its time, direction, bytes, CRC status and meaning; exportable as text or CSV.
 */
import { writeFile } from 'node:fs/promises';

import { exportFormatFor, frameLine, isoWithMicros, type FrameExportFormat } from '../../../shared/domain/rs485Text';

import type { Clock } from '../ports/Clock';
import { systemTimers, type TimerHandle, type Timers } from '../ports/Timers';
import type { ByteChannel } from './ByteChannel';
import { frameSilenceMs, type CharacterFormat } from './busTiming';
import { toHex } from './frame';
import { RtuStreamSplitter } from './frameAssembly';
import { describeFrame, guessRole } from './frameMeaning';
import { DEFAULT_SERIAL_SETTINGS, type BusFrame } from './modbusTypes';
import { preciseClock } from './preciseClock';

export type FrameSource = { onFrame(listener: (frame: BusFrame) => void): () => void };

/** Keeps the newest `capacity` frames; older ones are counted as dropped. */
export class BusMonitor {
  private readonly ring: (BusFrame | undefined)[];
  private start = 0;
  private size = 0;
  private droppedCount = 0;
  private readonly listeners = new Set<(frame: BusFrame) => void>();

  constructor(readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('The bus monitor needs room for at least one frame');
    }
    this.ring = new Array<BusFrame | undefined>(capacity);
  }

  /** Records every frame `source` reports until the returned function is called. */
  attach(source: FrameSource): () => void {
    return source.onFrame((frame) => this.add(frame));
  }

  add(frame: BusFrame): void {
    if (this.size < this.capacity) {
      this.ring[(this.start + this.size) % this.capacity] = frame;
      this.size += 1;
    } else {
      this.ring[this.start] = frame;
      this.start = (this.start + 1) % this.capacity;
      this.droppedCount += 1;
    }
    for (const listener of [...this.listeners]) {
      listener(frame);
    }
  }

  /** Each frame as it is recorded. */
  onFrame(listener: (frame: BusFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The frames held, oldest first. */
  frames(): BusFrame[] {
    const out: BusFrame[] = [];
    for (let i = 0; i < this.size; i += 1) {
      const frame = this.ring[(this.start + i) % this.capacity];
      if (frame) {
        out.push(frame);
      }
    }
    return out;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.droppedCount = 0;
  }

  export(format: ExportFormat): string {
    return exportFrames(this.frames(), format);
  }
}

export type ExportFormat = FrameExportFormat;

/** `2026-11-28T10:00:00.123456Z  tx  ok   02 03 01 00 00 01 84 39  slave 2 FC03 read 0x0100 ×1` */
export function formatFrameLine(frame: BusFrame): string {
  return frameLine({ ...frame, hex: toHex(frame.bytes) });
}

const csvField = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function exportFrames(frames: readonly BusFrame[], format: ExportFormat): string {
  if (format === 'csv') {
    const rows = frames.map((f) =>
      [isoWithMicros(f.at), f.direction, toHex(f.bytes), f.crcOk ? 'ok' : 'bad', f.meaning].map(csvField).join(','),
    );
    return `${['time', 'direction', 'bytes', 'crc', 'meaning'].join(',')}\n${rows.map((r) => `${r}\n`).join('')}`;
  }
  return frames.map((f) => `${formatFrameLine(f)}\n`).join('');
}

export { exportFormatFor };

export async function writeFramesFile(
  path: string,
  frames: readonly BusFrame[],
  format = exportFormatFor(path),
): Promise<void> {
  await writeFile(path, exportFrames(frames, format), 'utf8');
}

export type SniffOptions = {
  format?: CharacterFormat;
  clock?: Clock;
  timers?: Timers;
  /** Silence after which held bytes that made no frame are shown anyway; default 20 ms (USB adapters buffer). */
  silenceMs?: number;
};

/**
 * Listens to a port without sending anything and reports each frame on it: requests as 'tx' (from the master
 * that drives the bus) and replies as 'rx'. Frames are found by length and CRC, so a pty without real silences
 * works too; bytes that make no frame are shown after a silence. Returns a function that stops listening.
 */
export function sniffBus(
  channel: ByteChannel,
  onFrame: (frame: BusFrame) => void,
  options: SniffOptions = {},
): () => void {
  const clock = options.clock ?? preciseClock;
  const timers = options.timers ?? systemTimers;
  const silenceMs = options.silenceMs ?? Math.max(20, frameSilenceMs(options.format ?? DEFAULT_SERIAL_SETTINGS));
  const splitter = new RtuStreamSplitter();
  let previous: Uint8Array | null = null;
  let timer: TimerHandle | null = null;

  const report = (bytes: Uint8Array, crcOk: boolean): void => {
    if (!crcOk) {
      onFrame({ at: clock.now(), direction: 'rx', bytes, crcOk, meaning: describeFrame(bytes) });
      previous = null;
      return;
    }
    let role = guessRole(bytes);
    if (role === 'either') {
      // A write-single reply repeats its request byte for byte.
      const last = previous;
      role =
        last !== null && last.length === bytes.length && last.every((b, i) => b === bytes[i]) ? 'reply' : 'request';
    }
    previous = role === 'request' ? bytes : null;
    onFrame({
      at: clock.now(),
      direction: role === 'request' ? 'tx' : 'rx',
      bytes,
      crcOk,
      meaning: describeFrame(bytes, role),
    });
  };

  const flush = (): void => {
    timer = null;
    for (const frame of splitter.flush()) {
      report(frame.bytes, frame.crcOk);
    }
  };

  const offData = channel.onData((chunk) => {
    for (const frame of splitter.push(chunk)) {
      report(frame.bytes, frame.crcOk);
    }
    if (timer !== null) {
      timers.clearTimeout(timer);
      timer = null;
    }
    if (splitter.heldBytes > 0) {
      timer = timers.setTimeout(flush, silenceMs);
    }
  });
  const stop = (): void => {
    offData();
    offClose();
    if (timer !== null) {
      timers.clearTimeout(timer);
      timer = null;
    }
  };
  const offClose = channel.onClose(() => stop());
  return stop;
}
