import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { SerialPort } from 'serialport';

import { MODULE_TYPES, type ModuleType, type Rs485Profile } from '../../../shared/domain/rs485Profile';
import { AppError } from '../../../shared/errors/AppError';
import {
  decodeRequest,
  encodeReply,
  FC_READ_HOLDING,
  FC_READ_INPUT,
  FC_WRITE_MULTIPLE,
  FC_WRITE_SINGLE,
  type ModbusReply,
  type ModbusRequest,
} from './frame';
import { RtuStreamSplitter } from './frameAssembly';
import { loadProfileCatalog, selectProfile, type VariantSelection } from './profiles';
import {
  createSimBus,
  standardModules,
  type SimBus,
  type SimFaults,
  type SimModuleSpec,
  type SimRequest,
} from './simModules';

/**
 * The simulated modules as a real Modbus RTU slave on a serial port: a socat pseudo-terminal pair for the demo,
 * training and tests (the workstation, or any other master such as mbpoll, opens the other end), or any port the
 * caller names. Requests are split out of the byte stream by their length and CRC, as a slave on the wire does;
 * a frame with a bad CRC, or for an address nobody has, gets no answer.
 */

export type StartSimBusOptions = (
  | {
      /** Make a socat pty pair; the master side is linked at `masterLink` (a temp path when absent). */
      createPty: true;
      masterLink?: string | undefined;
    }
  | {
      /** Serve on this port (one end of a pair made elsewhere, or an adapter to a real master). */
      ptyPath: string;
    }
) &
  (
    | {
        /** The modules to simulate. */
        modules: readonly SimModuleSpec[];
      }
    | {
        /** The shipped maps' folder (AppLayout.resourcesDir/rs485): their modules (with `selection`) at their usual addresses. */
        shippedDir: string;
        selection?: VariantSelection | undefined;
      }
  ) & {
    faults?: SimFaults | undefined;
    baudRate?: number | undefined;
    /** Pause before answering, as a module's turnaround; 2 ms unless told. */
    turnaroundMs?: number | undefined;
  };

export type SimBusHandle = {
  /** Where a master opens the bus; null when serving on a port the caller made. */
  masterPath: string | null;
  /** The end the simulated modules listen on. */
  slavePath: string;
  bus: SimBus;
  setFaults(faults: SimFaults): void;
  close(): Promise<void>;
};

export async function startSimBus(options: StartSimBusOptions): Promise<SimBusHandle> {
  const modules = 'modules' in options ? options.modules : await shippedModules(options.shippedDir, options.selection);
  const bus = createSimBus(modules, options.faults ?? {});
  const pty = 'createPty' in options ? await startSocatPair(options.masterLink) : null;
  const slavePath = pty ? pty.slavePath : 'ptyPath' in options ? options.ptyPath : '';
  let port: SerialPort;
  try {
    port = await openPort(slavePath, options.baudRate ?? 115200);
  } catch (error) {
    await pty?.stop();
    throw error;
  }
  const responder = createSlaveResponder(bus, (bytes) => port.write(Buffer.from(bytes)), {
    turnaroundMs: options.turnaroundMs ?? 2,
  });
  port.on('data', (chunk: Buffer) => responder.receive(new Uint8Array(chunk)));
  // A master closing its end of a pty reads here as an error (EIO); the simulator keeps serving the next one.
  port.on('error', () => undefined);

  let closed = false;
  return {
    masterPath: pty ? pty.masterPath : null,
    slavePath,
    bus,
    setFaults: (faults) => bus.setFaults(faults),
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      responder.dispose();
      await new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
      await pty?.stop();
    },
  };
}

/** The shipped maps chosen per module type, at their usual addresses. */
export async function shippedModules(shippedDir: string, selection: VariantSelection = {}): Promise<SimModuleSpec[]> {
  const catalog = await loadProfileCatalog({ shippedDir });
  const profiles = Object.fromEntries(
    MODULE_TYPES.map((type) => [type, selectProfile(catalog, type, selection).profile] as const),
  ) as Record<ModuleType, Rs485Profile>;
  return standardModules(profiles);
}

// ── the protocol side ──────────────────────────────────────────────────────────────────────────────────

export type SlaveResponder = { receive(chunk: Uint8Array): void; dispose(): void };

/**
 * Turns request bytes into replies from the simulated bus: one reply per request frame, after the module's
 * turnaround and any slowness fault, garbled when the noise fault says so.
 */
export function createSlaveResponder(
  bus: SimBus,
  send: (bytes: Uint8Array) => void,
  options: { turnaroundMs: number; silenceMs?: number },
): SlaveResponder {
  const splitter = new RtuStreamSplitter();
  const timers = new Set<NodeJS.Timeout>();
  let silence: NodeJS.Timeout | undefined;
  let disposed = false;

  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!disposed) {
        run();
      }
    }, ms);
    timers.add(timer);
  };

  function answer(frame: Uint8Array): void {
    let request: ModbusRequest;
    try {
      request = decodeRequest(frame);
    } catch {
      return; // Not a request we can read: a slave stays silent.
    }
    const simRequest = toSimRequest(request);
    if (!simRequest) {
      return;
    }
    const result = bus.handle(request.slave, simRequest);
    if (result.kind === 'silent') {
      return;
    }
    const reply = toReply(request, result);
    const delivery = bus.delivery(request.slave);
    const bytes = encodeReply(reply);
    if (delivery.corrupt) {
      // One flipped bit in the last data byte: the length stays right, the CRC does not.
      const at = Math.max(2, bytes.length - 3);
      bytes[at] = (bytes[at] ?? 0) ^ 0x10;
    }
    later(options.turnaroundMs + delivery.delayMs, () => send(bytes));
  }

  return {
    receive(chunk) {
      if (disposed) {
        return;
      }
      for (const frame of splitter.push(chunk)) {
        if (frame.crcOk) {
          answer(frame.bytes);
        }
      }
      // Bytes that never made a frame are dropped once the line goes quiet, as a slave resynchronises.
      if (silence) {
        clearTimeout(silence);
      }
      silence = setTimeout(() => splitter.flush(), options.silenceMs ?? 20);
    },
    dispose() {
      disposed = true;
      if (silence) {
        clearTimeout(silence);
      }
      for (const timer of timers) {
        clearTimeout(timer);
      }
      timers.clear();
    },
  };
}

function toSimRequest(request: ModbusRequest): SimRequest | null {
  switch (request.fc) {
    case FC_READ_HOLDING:
      return { fc: 3, address: request.address, count: request.count };
    case FC_READ_INPUT:
      return { fc: 4, address: request.address, count: request.count };
    case FC_WRITE_SINGLE:
      return { fc: 6, address: request.address, value: request.value };
    case FC_WRITE_MULTIPLE:
      return { fc: 16, address: request.address, values: request.values };
  }
}

function toReply(
  request: ModbusRequest,
  result: Exclude<ReturnType<SimBus['handle']>, { kind: 'silent' }>,
): ModbusReply {
  if (result.kind === 'exception') {
    return { kind: 'exception', fc: request.fc, slave: request.slave, exceptionCode: result.exceptionCode };
  }
  switch (request.fc) {
    case FC_READ_HOLDING:
    case FC_READ_INPUT:
      return {
        kind: 'registers',
        fc: request.fc,
        slave: request.slave,
        values: result.kind === 'registers' ? result.values : [],
      };
    case FC_WRITE_SINGLE:
      return {
        kind: 'writeSingle',
        fc: request.fc,
        slave: request.slave,
        address: request.address,
        value: request.value,
      };
    case FC_WRITE_MULTIPLE:
      return {
        kind: 'writeMultiple',
        fc: request.fc,
        slave: request.slave,
        address: request.address,
        count: request.values.length,
      };
  }
}

// ── the serial side ────────────────────────────────────────────────────────────────────────────────────

async function openPort(path: string, baudRate: number): Promise<SerialPort> {
  const { SerialPort } = await import('serialport');
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((error) => {
      if (error) {
        reject(
          new AppError('SERIAL_PORT_NOT_FOUND', `the RS485 simulator cannot open ${path}: ${error.message}`, {
            details: { path },
          }),
        );
        return;
      }
      resolve(port);
    });
  });
}

type SocatPair = { masterPath: string; slavePath: string; stop(): Promise<void> };

/** Two linked pseudo-terminals from socat; fails saying what to install when socat is not there. */
async function startSocatPair(masterLink?: string): Promise<SocatPair> {
  const dir = mkdtempSync(join(tmpdir(), 'ohtw-simbus-'));
  const masterPath = masterLink ?? join(dir, 'master');
  const slavePath = join(dir, 'modules');
  let stderr = '';
  let exited: { code: number | null; errno?: string | undefined } | undefined;
  const child: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `PTY,raw,echo=0,link=${masterPath}`, `PTY,raw,echo=0,link=${slavePath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  child.on('error', (error: NodeJS.ErrnoException) => {
    exited = { code: null, errno: error.code };
  });
  child.on('exit', (code) => {
    exited ??= { code };
  });

  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const deadline = Date.now() + 5000;
  while (!(existsSync(masterPath) && existsSync(slavePath))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGTERM');
      cleanup();
      const missing = exited?.errno === 'ENOENT';
      throw new AppError(
        'PRECONDITION_FAILED',
        missing
          ? 'the RS485 simulator needs socat to make its pseudo-terminals: install it (apt-get install socat)'
          : `socat did not make the pseudo-terminal pair${exited ? ` (exit ${String(exited.code)})` : ' in 5 s'}: ${stderr.trim() || 'no message'}`,
        { details: { masterPath, slavePath } },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    masterPath,
    slavePath,
    async stop() {
      if (!exited) {
        const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2000))]);
      }
      if (masterLink !== undefined) {
        rmSync(masterLink, { force: true });
      }
      cleanup();
    },
  };
}
