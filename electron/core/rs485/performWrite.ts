/**
 * The one way a register write leaves this app. Safe-write rules (profile lookup, read-only refusal, ranges,
 * read-back, audit) wrap this function rather than talk to the master themselves, so every caller (the CLI,
 * later the UI) gets the same rules.
 */
import { AppError } from '../../../shared/errors/AppError';
import type { Clock } from '../ports/Clock';
import type { ModbusMaster, RequestOptions } from './modbusTypes';
import { preciseClock } from './preciseClock';
import { validateRequest, FC_WRITE_SINGLE } from './frame';

export type RegisterWrite = {
  /** The port, for messages and the audit trail. */
  port: string;
  slave: number;
  register: number;
  value: number;
  /** The operator confirmed this write (`--yes`, or the dialog's confirm button). */
  confirmed: boolean;
};

export type WriteOutcome = RegisterWrite & { writtenAt: number; durationMs: number };

export type WriteContext = { clock?: Clock; requestOptions?: RequestOptions };

export type PerformWrite = (
  master: ModbusMaster,
  write: RegisterWrite,
  context?: WriteContext,
) => Promise<WriteOutcome>;

/** Writes one holding register (FC06) once the operator has confirmed it; nothing else is checked here. */
export const performWrite: PerformWrite = async (master, write, context = {}) => {
  validateRequest({ fc: FC_WRITE_SINGLE, slave: write.slave, address: write.register, value: write.value });
  if (!write.confirmed) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Not writing ${write.value} to register ${write.register} of slave ${write.slave}: the write was not confirmed`,
      { details: { port: write.port, slave: write.slave, register: write.register, value: write.value } },
    );
  }
  const clock = context.clock ?? preciseClock;
  const startedAt = clock.now();
  await master.writeSingleRegister(write.slave, write.register, write.value, context.requestOptions);
  const writtenAt = clock.now();
  return { ...write, writtenAt, durationMs: writtenAt - startedAt };
};
