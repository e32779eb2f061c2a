import { AppError } from '../../../shared/errors/AppError';
import { FC_READ_HOLDING, FC_READ_INPUT, FC_WRITE_MULTIPLE, FC_WRITE_SINGLE, exceptionName, hex2, hex4 } from './frame';
import type { ModbusReply, ModbusRequest } from './frame';

/** How one attempt at a request ended. */
export type AttemptOutcome =
  | { kind: 'answer'; reply: ModbusReply }
  | { kind: 'exception'; exceptionCode: number }
  | { kind: 'mismatch'; reason: string }
  | { kind: 'wrongSlave'; slaves: number[] }
  | { kind: 'crc' }
  | { kind: 'garbage'; bytes: number }
  | { kind: 'timeout' }
  | { kind: 'closed'; reason: AppError }
  | { kind: 'cancelled' };

export const cancelled = (): AppError => new AppError('CANCELLED', 'The Modbus request was cancelled');

/** A short label for messages: "FC03 read 0x0100 ×1". */
export function describeRequest(request: ModbusRequest): string {
  const fc = `FC${hex2(request.fc)}`;
  switch (request.fc) {
    case FC_READ_HOLDING:
    case FC_READ_INPUT:
      return `${fc} read ${hex4(request.address)} ×${request.count}`;
    case FC_WRITE_SINGLE:
      return `${fc} write ${hex4(request.address)} = ${request.value}`;
    case FC_WRITE_MULTIPLE:
      return `${fc} write ${hex4(request.address)} ×${request.values.length}`;
  }
}

/** The typed error a request fails with, after its last attempt ended so. */
export function requestFailure(
  path: string,
  request: ModbusRequest,
  outcome: AttemptOutcome,
  attempts: number,
  timeoutMs: number,
): AppError {
  const what = describeRequest(request);
  const details = { path, slave: request.slave, function: request.fc, address: request.address, attempts, timeoutMs };
  const tries = attempts === 1 ? '' : ` (${attempts} attempts)`;
  switch (outcome.kind) {
    case 'answer':
      return new AppError('INTERNAL', 'An answered request was reported as failed');
    case 'exception':
      return new AppError(
        'MODBUS_EXCEPTION',
        `Slave ${request.slave} refused ${what}: exception ${hex2(outcome.exceptionCode)} (${exceptionName(outcome.exceptionCode)})`,
        {
          details: {
            ...details,
            exceptionCode: outcome.exceptionCode,
            exceptionName: exceptionName(outcome.exceptionCode),
          },
        },
      );
    case 'mismatch':
      return new AppError('MODBUS_BAD_FRAME', `Slave ${request.slave} answered ${what} with ${outcome.reason}`, {
        details: { ...details, reason: outcome.reason },
      });
    case 'wrongSlave':
      return new AppError(
        'MODBUS_WRONG_SLAVE',
        `Asked slave ${request.slave} (${what}), but slave ${outcome.slaves.join(' and ')} answered: ` +
          'a module on the wrong address, or two modules on one address?',
        { details: { ...details, answeredBy: outcome.slaves } },
      );
    case 'crc':
      return new AppError(
        'MODBUS_CRC',
        `Slave ${request.slave}'s reply to ${what} failed its CRC check${tries}: check wiring, termination and the baud rate`,
        { details, retryable: true },
      );
    case 'garbage':
      return new AppError(
        'MODBUS_BAD_FRAME',
        `Slave ${request.slave} did not answer ${what}${tries}; ${outcome.bytes} bytes came back that are not a Modbus reply ` +
          '(wrong baud rate or parity, or noise on the line?)',
        { details: { ...details, strayBytes: outcome.bytes }, retryable: true },
      );
    case 'timeout':
      return new AppError(
        'MODBUS_TIMEOUT',
        `Slave ${request.slave} did not answer ${what} within ${Math.round(timeoutMs)} ms${tries}`,
        { details, retryable: true },
      );
    case 'closed':
      return outcome.reason;
    case 'cancelled':
      return cancelled();
  }
}
