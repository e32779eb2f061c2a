import type { ModuleType } from './rs485Profile';

/**
 * How RS485 things read for people, the same on every face: module names, register addresses, the character
 * format, and one monitored frame as a line.
 */

export const MODULE_LABELS: Readonly<Record<ModuleType, string>> = {
  power: 'Power',
  safety: 'Safety',
  travel: 'Travel motor',
  dock: 'Dock & location',
};

/** The baud rates the modules' firmware can be set to. */
export const BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;
export type BaudRate = (typeof BAUD_RATES)[number];

/** `0x0030`: a register address or a 16-bit word. */
export function hex4(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `0x02`: a slave address. */
export function hexByte(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(2, '0')}`;
}

export type CharacterFormatText = {
  baudRate: number;
  dataBits: number;
  parity: 'none' | 'even' | 'odd';
  stopBits: number;
};

/** `115200 8N1` */
export function characterFormatName(s: CharacterFormatText): string {
  return `${s.baudRate} ${s.dataBits}${s.parity === 'none' ? 'N' : s.parity === 'even' ? 'E' : 'O'}${s.stopBits}`;
}

/** A frame as the monitor shows it: its bytes already as "02 03 01 00 00 01 84 39". */
export type FrameText = { at: number; direction: 'tx' | 'rx'; hex: string; crcOk: boolean; meaning: string };

/** `2026-11-28T10:00:00.123456Z`: the frame times keep their microseconds. */
export function isoWithMicros(atMs: number): string {
  const iso = new Date(Math.floor(atMs)).toISOString();
  const micros = Math.floor((atMs - Math.floor(atMs)) * 1000);
  return iso.replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}

/** `2026-11-28T10:00:00.123456Z  tx  ok   02 03 01 00 00 01 84 39  slave 2 FC03 read 0x0100 ×1` */
export function frameLine(frame: FrameText): string {
  return `${isoWithMicros(frame.at)}  ${frame.direction}  ${frame.crcOk ? 'ok ' : 'BAD'}  ${frame.hex}  ${frame.meaning}`;
}

export type FrameExportFormat = 'text' | 'csv';

/** The format a file name asks for: .csv is CSV, anything else text. */
export function exportFormatFor(path: string): FrameExportFormat {
  return /\.csv$/i.test(path) ? 'csv' : 'text';
}
