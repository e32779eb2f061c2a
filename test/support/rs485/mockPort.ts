import { SerialPortMock } from 'serialport';

import { AppError } from '../../../shared/errors/AppError';
import { decodeRequest, encodeReply, type ModbusReply } from '../../../electron/core/rs485/frame';
import { openSerialByteChannel, type SerialByteChannel } from '../../../electron/core/rs485/SerialByteChannel';
import type { SerialPortOpenOptions } from '../../../electron/core/rs485/SerialByteChannel';
import { DEFAULT_SERIAL_SETTINGS } from '../../../electron/core/rs485/modbusTypes';

/** What the fake line does with one request: frames to send back (each after its delay), or nothing. */
export type Responder = (request: Uint8Array) => { bytes: Uint8Array; delayMs?: number }[];

export type MockLine = {
  channel: SerialByteChannel;
  port: SerialPortMock;
  /** Every request written, in order. */
  requests: Uint8Array[];
  respondWith(responder: Responder): void;
  /** Bytes arriving on their own, as from noise or another device. */
  inject(bytes: Uint8Array): void;
  /** The port goes away the way an unplugged adapter does. */
  vanish(): void;
};

let counter = 0;

/** The parts of @serialport/binding-mock used here (its declarations reach lint only partly resolved). */
type MockBindingApi = {
  createPort(
    path: string,
    options?: { echo?: boolean; record?: boolean; vendorId?: string; productId?: string; manufacturer?: string },
  ): void;
  list(): Promise<unknown[]>;
};
type MockPortApi = { isOpen: boolean; write(buffer: Buffer): Promise<void>; emitData(data: Buffer): void };

/** serialport's own copy of the mock binding (the ESM import of the package would be a second instance). */
export const mockBinding = SerialPortMock.binding as unknown as MockBindingApi;

/** A SerialByteChannel over serialport's mock binding, answering through a responder (delays via `schedule`). */
export async function openMockLine(
  responder: Responder = () => [],
  options: { schedule?: (send: () => void, delayMs: number) => void } = {},
): Promise<MockLine> {
  const schedule = options.schedule ?? ((send: () => void, delayMs: number) => setTimeout(send, delayMs));
  counter += 1;
  const path = `/dev/ROBOT${counter}`;
  mockBinding.createPort(path, { echo: false, record: true });
  let port: SerialPortMock | undefined;
  const channel = await openSerialByteChannel(
    { path, ...DEFAULT_SERIAL_SETTINGS },
    {
      createPort: (options: SerialPortOpenOptions) => {
        port = new SerialPortMock(options);
        return port;
      },
    },
  );
  if (!port?.port) {
    throw new Error('the mock port did not open');
  }
  const mock = port;
  const binding = port.port as unknown as MockPortApi;
  const requests: Uint8Array[] = [];
  let respond = responder;
  const write = binding.write.bind(binding);
  binding.write = async (buffer: Buffer): Promise<void> => {
    await write(buffer);
    const request = Uint8Array.from(buffer);
    requests.push(request);
    for (const { bytes, delayMs } of respond(request)) {
      const send = (): void => {
        if (binding.isOpen) {
          binding.emitData(Buffer.from(bytes));
        }
      };
      if (delayMs === undefined) {
        process.nextTick(send);
      } else {
        schedule(send, delayMs);
      }
    }
  };
  return {
    channel,
    port: mock,
    requests,
    respondWith: (next) => {
      respond = next;
    },
    inject: (bytes) => binding.emitData(Buffer.from(bytes)),
    vanish: () => {
      mock.emit('close', Object.assign(new Error('Port disconnected'), { disconnected: true }));
    },
  };
}

/** A well-behaved slave set: holding/input register i of slave s is `registers[s][i]`; else exception 02. */
export function registerSlaves(registers: Record<number, number[]>): Responder {
  return (bytes) => {
    const reply = answer(registers, bytes);
    return reply ? [{ bytes: encodeReply(reply) }] : [];
  };
}

export function answer(registers: Record<number, number[]>, bytes: Uint8Array): ModbusReply | null {
  let request;
  try {
    request = decodeRequest(bytes);
  } catch (error) {
    if (error instanceof AppError) {
      return null;
    }
    throw error;
  }
  const table = registers[request.slave];
  if (!table) {
    return null;
  }
  const illegal: ModbusReply = { kind: 'exception', fc: request.fc, slave: request.slave, exceptionCode: 2 };
  switch (request.fc) {
    case 0x03:
    case 0x04: {
      if (request.address + request.count > table.length) {
        return illegal;
      }
      return {
        kind: 'registers',
        fc: request.fc,
        slave: request.slave,
        values: table.slice(request.address, request.address + request.count),
      };
    }
    case 0x06:
      if (request.address >= table.length) {
        return illegal;
      }
      table[request.address] = request.value;
      return { kind: 'writeSingle', fc: 0x06, slave: request.slave, address: request.address, value: request.value };
    case 0x10:
      if (request.address + request.values.length > table.length) {
        return illegal;
      }
      request.values.forEach((v, i) => {
        table[request.address + i] = v;
      });
      return {
        kind: 'writeMultiple',
        fc: 0x10,
        slave: request.slave,
        address: request.address,
        count: request.values.length,
      };
  }
}
