import { hasValidCrc } from './crc16';
import {
  decodeReply,
  decodeRequest,
  exceptionName,
  FC_READ_HOLDING,
  FC_READ_INPUT,
  FC_WRITE_MULTIPLE,
  FC_WRITE_SINGLE,
  hex2,
  hex4,
  word,
} from './frame';

/** What a frame on the bus means, in one line for the monitor: who asks whom for what, or what came back. */

export type FrameRole = 'request' | 'reply';

/** The role a CRC-valid frame most likely has, from its shape alone (FC06 frames look the same both ways). */
export function guessRole(bytes: Uint8Array): FrameRole | 'either' {
  const fc = bytes[1] ?? 0;
  if (fc & 0x80) {
    return 'reply';
  }
  switch (fc) {
    case 0x01:
    case 0x02:
    case FC_READ_HOLDING:
    case FC_READ_INPUT:
      return bytes.length === 8 ? 'request' : 'reply';
    case 0x0f:
    case FC_WRITE_MULTIPLE:
      return bytes.length === 8 ? 'reply' : 'request';
    default:
      return 'either';
  }
}

function listValues(values: readonly number[]): string {
  const shown = values.slice(0, 8).join(' ');
  return values.length > 8 ? `${shown} … (${values.length - 8} more)` : shown;
}

const FC_NAMES: Readonly<Record<number, string>> = {
  0x01: 'read coils',
  0x02: 'read discrete inputs',
  0x03: 'read',
  0x04: 'read input',
  0x05: 'write coil',
  0x06: 'write',
  0x0f: 'write coils',
  0x10: 'write',
};

/**
 * One line of plain meaning for the bus monitor, e.g. "slave 2 FC03 read 0x0100 ×1",
 * "slave 2 FC03 reply: 2", "slave 2 exception 02 (illegal data address) to FC03".
 */
export function describeFrame(bytes: Uint8Array, role?: FrameRole): string {
  if (!hasValidCrc(bytes)) {
    return bytes.length >= 2
      ? `CRC error: ${bytes.length} bytes (slave ${bytes[0] ?? 0}? function ${hex2(bytes[1] ?? 0)}?)`
      : `stray byte${bytes.length === 1 ? '' : 's'}`;
  }
  const slave = bytes[0] ?? 0;
  const fc = bytes[1] ?? 0;
  const tag = `slave ${slave} FC${hex2(fc & 0x7f)}`;
  if (fc & 0x80) {
    const code = bytes[2] ?? 0;
    return `slave ${slave} exception ${hex2(code)} (${exceptionName(code)}) to FC${hex2(fc & 0x7f)}`;
  }
  const effective = role ?? guessRole(bytes);
  const name = FC_NAMES[fc] ?? `function ${hex2(fc)}`;
  if (fc === FC_WRITE_SINGLE || fc === 0x05) {
    const what = `${name} ${hex4(word(bytes, 2))} = ${word(bytes, 4)}`;
    return effective === 'reply' ? `${tag} ${what} done` : `${tag} ${what}`;
  }
  if (effective === 'request') {
    try {
      const request = decodeRequest(bytes);
      if (request.fc === FC_WRITE_MULTIPLE) {
        return `${tag} ${name} ${hex4(request.address)} ×${request.values.length}: ${listValues(request.values)}`;
      }
    } catch {
      // Not one of ours (coils): fall through to the generic form.
    }
    return `${tag} ${name} ${hex4(word(bytes, 2))} ×${word(bytes, 4)}`;
  }
  try {
    const reply = decodeReply(bytes);
    switch (reply.kind) {
      case 'registers':
        return `${tag} reply: ${listValues(reply.values)}`;
      case 'writeMultiple':
        return `${tag} ${name} ${hex4(reply.address)} ×${reply.count} done`;
      case 'writeSingle':
      case 'exception':
      case 'other':
        return `${tag} reply (${bytes.length} bytes)`;
    }
  } catch {
    return `${tag} (${bytes.length} bytes)`;
  }
}
