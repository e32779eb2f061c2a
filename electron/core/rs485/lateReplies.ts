import { expectedReplyLength, type ModbusRequest } from './frame';

/** A reply that came after its request's wait had ended: recognised by slave address, function and CRC. */
export type LateReply = {
  slave: number;
  request: ModbusRequest;
  /** From when the request went out to when its reply was complete. */
  afterMs: number;
  bytes: Uint8Array;
};

type Unanswered = { request: ModbusRequest; sentAt: number; replyLength: number };

/** How long an unanswered request is remembered: longer than any reply timeout a bus uses in practice. */
const MEMORY_MS = 10_000;
const MAX_REMEMBERED = 16;

/**
 * The requests whose wait ended without their reply. A CRC-valid frame that arrives later from one of those
 * slaves, with that function and that reply's length (or an exception from it), is that request's late reply:
 * a slow module, never the answer to whatever request is on the line by then.
 */
export class UnansweredRequests {
  private readonly list: Unanswered[] = [];

  remember(request: ModbusRequest, sentAt: number): void {
    this.list.push({ request, sentAt, replyLength: expectedReplyLength(request) });
    if (this.list.length > MAX_REMEMBERED) {
      this.list.shift();
    }
  }

  /** The late reply `bytes` (a CRC-valid frame) are, or null; a match is forgotten, as each request has one reply. */
  match(bytes: Uint8Array, now: number): LateReply | null {
    const [slave, fc] = [bytes[0], bytes[1]];
    for (let i = this.list.length - 1; i >= 0; i -= 1) {
      const entry = this.list[i] as Unanswered;
      if (now - entry.sentAt > MEMORY_MS) {
        this.list.splice(0, i + 1);
        return null;
      }
      const { request } = entry;
      const exception = fc === (request.fc | 0x80) && bytes.length === 5;
      if (slave === request.slave && ((fc === request.fc && bytes.length === entry.replyLength) || exception)) {
        this.list.splice(i, 1);
        return { slave: request.slave, request, afterMs: now - entry.sentAt, bytes };
      }
    }
    return null;
  }
}
