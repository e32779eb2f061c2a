import type { Clock } from '../ports/Clock';
import type { BusListeners } from './busListeners';
import { judgeReply, type ModbusReply, type ModbusRequest } from './frame';
import { describeFrame } from './frameMeaning';
import type { AttemptOutcome } from './masterFailure';
import type { LineStatsBook, RtuLineStats } from './masterStats';

/** One attempt of the Modbus master at a request: its state while it waits, and how a reply that came is judged. */

export /** One attempt at a request, while it waits for its reply. */
type AttemptState = {
  request: ModbusRequest;
  stats: RtuLineStats;
  sentAt: number;
  wrongSlaves: number[];
  mismatch: string | null;
  garbageBytes: number;
  /** Bytes have come since the request went out: the reply is under way. */
  begun: boolean;
  done: boolean;
  finish(outcome: AttemptOutcome): void;
};

/** What judging a reply needs of the master: its clock, its frame listeners, its line stats, its late replies. */
export type AttemptJudging = {
  clock: Clock;
  listeners: BusListeners;
  lineStats: LineStatsBook;
  /** True when the bytes are the late reply to an earlier request (then reported as such). */
  lateReply(bytes: Uint8Array): boolean;
};

/** A complete, CRC-valid reply came: the answer, a refusal, or a frame this request was not waiting for. */
export function judgeAttemptReply(
  master: AttemptJudging,
  state: AttemptState,
  bytes: Uint8Array,
  reply: ModbusReply,
): void {
  const { request, stats } = state;
  const verdict = judgeReply(request, reply);
  if ((verdict.kind === 'wrongSlave' || verdict.kind === 'mismatch') && master.lateReply(bytes)) {
    return;
  }
  switch (verdict.kind) {
    case 'answer':
      master.lineStats.recordLatency(stats, master.clock.now() - state.sentAt);
      master.listeners.frame('rx', bytes, true, () => describeFrame(bytes, 'reply'));
      state.finish({ kind: 'answer', reply });
      return;
    case 'exception':
      stats.exceptions += 1;
      master.lineStats.recordLatency(stats, master.clock.now() - state.sentAt);
      master.listeners.frame('rx', bytes, true, () => describeFrame(bytes, 'reply'));
      state.finish({ kind: 'exception', exceptionCode: verdict.exceptionCode });
      return;
    case 'wrongSlave':
      stats.wrongSlaveReplies += 1;
      state.wrongSlaves.push(reply.slave);
      master.listeners.frame(
        'rx',
        bytes,
        true,
        () => `${describeFrame(bytes, 'reply')} (slave ${request.slave} was asked)`,
      );
      return;
    case 'mismatch':
      stats.badFrames += 1;
      master.listeners.frame('rx', bytes, true, () => `${describeFrame(bytes, 'reply')} (${verdict.reason})`);
      if (reply.fc === request.fc) {
        state.finish({ kind: 'mismatch', reason: verdict.reason });
      } else {
        state.mismatch = verdict.reason;
      }
      return;
  }
}
