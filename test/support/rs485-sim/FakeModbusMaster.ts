import type { BusFrame, LineStats, ModbusMaster, RequestOptions } from '../../../electron/core/rs485/modbusTypes';
import type { SimBus, SimRequest } from '../../../electron/core/rs485/simModules';
import { AppError } from '../../../shared/errors/AppError';

const EXCEPTION_NAMES: Record<number, string> = { 2: 'illegal data address', 3: 'illegal data value' };

/**
 * A ModbusMaster over the simulated modules, in process and without time: a missing module is a timeout, a
 * corrupted reply a CRC error (retried like the real master), a slow module a high recorded latency (or a timeout
 * when slower than the request allows). Errors have the real master's codes and details.
 */
export class FakeModbusMaster implements ModbusMaster {
  readonly requests: { slave: number; request: SimRequest }[] = [];
  private readonly statsBySlave = new Map<number, LineStats>();
  private closed = false;

  constructor(
    private readonly bus: SimBus,
    private readonly defaults: { timeoutMs: number; retries: number; baseLatencyMs: number } = {
      timeoutMs: 1000,
      retries: 0,
      baseLatencyMs: 8,
    },
  ) {}

  async readHoldingRegisters(
    slave: number,
    address: number,
    count: number,
    options?: RequestOptions,
  ): Promise<number[]> {
    const answer = this.exchange(slave, { fc: 3, address, count }, options);
    return answer.kind === 'registers' ? answer.values : [];
  }

  async readInputRegisters(slave: number, address: number, count: number, options?: RequestOptions): Promise<number[]> {
    const answer = this.exchange(slave, { fc: 4, address, count }, options);
    return answer.kind === 'registers' ? answer.values : [];
  }

  async writeSingleRegister(slave: number, address: number, value: number, options?: RequestOptions): Promise<void> {
    this.exchange(slave, { fc: 6, address, value }, options);
  }

  async writeMultipleRegisters(
    slave: number,
    address: number,
    values: number[],
    options?: RequestOptions,
  ): Promise<void> {
    this.exchange(slave, { fc: 16, address, values }, options);
  }

  onFrame(_listener: (frame: BusFrame) => void): () => void {
    return () => undefined;
  }

  /** The fake answers at once or never: no reply is ever late. */
  onLateReply(_listener: (late: { slave: number; afterMs: number }) => void): () => void {
    return () => undefined;
  }

  stats(slave: number): LineStats {
    const s = this.statsOf(slave);
    return { ...s, latenciesMs: [...s.latenciesMs] };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private statsOf(slave: number): LineStats {
    let s = this.statsBySlave.get(slave);
    if (!s) {
      s = { requests: 0, timeouts: 0, crcErrors: 0, exceptions: 0, latenciesMs: [] };
      this.statsBySlave.set(slave, s);
    }
    return s;
  }

  private exchange(slave: number, request: SimRequest, options: RequestOptions = {}) {
    if (this.closed) {
      throw new AppError('SERIAL_PORT_CLOSED', 'The fake Modbus master was closed');
    }
    options.signal?.throwIfAborted();
    const timeoutMs = options.timeoutMs ?? this.defaults.timeoutMs;
    const attempts = 1 + (options.retries ?? this.defaults.retries);
    const stats = this.statsOf(slave);
    const details = { slave, function: request.fc, address: request.address, attempts, timeoutMs };
    let last: 'timeout' | 'crc' = 'timeout';
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      stats.requests += 1;
      this.requests.push({ slave, request });
      const answer = this.bus.handle(slave, request);
      if (answer.kind === 'silent') {
        stats.timeouts += 1;
        last = 'timeout';
        continue;
      }
      const delivery = this.bus.delivery(slave);
      const latency = this.defaults.baseLatencyMs + delivery.delayMs;
      if (latency > timeoutMs) {
        stats.timeouts += 1;
        last = 'timeout';
        continue;
      }
      if (delivery.corrupt) {
        stats.crcErrors += 1;
        last = 'crc';
        continue;
      }
      stats.latenciesMs.push(latency);
      if (answer.kind === 'exception') {
        stats.exceptions += 1;
        throw new AppError(
          'MODBUS_EXCEPTION',
          `Slave ${slave} refused the request: exception ${answer.exceptionCode}`,
          {
            details: {
              ...details,
              exceptionCode: answer.exceptionCode,
              exceptionName: EXCEPTION_NAMES[answer.exceptionCode] ?? 'unknown exception',
            },
          },
        );
      }
      return answer;
    }
    throw last === 'crc'
      ? new AppError('MODBUS_CRC', `Slave ${slave}'s reply failed its CRC check`, { details, retryable: true })
      : new AppError('MODBUS_TIMEOUT', `Slave ${slave} did not answer within ${timeoutMs} ms`, {
          details,
          retryable: true,
        });
  }
}
