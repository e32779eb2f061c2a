import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AppError } from '../../../shared/errors/AppError';
import { busSettings, type BusSettings } from '../../../electron/core/rs485/busTiming';
import { BusConnections, connectBus } from '../../../electron/core/rs485/connectBus';
import {
  PortWatcher,
  diffPorts,
  listSerialPorts,
  systemPortLister,
  toPortEntry,
  type PortEvent,
  type RawPortInfo,
} from '../../../electron/core/rs485/ports';
import { mapOpenError } from '../../../electron/core/rs485/SerialByteChannel';
import { createCapturingLogger } from '../../support/fakes/captureLogger';
import { manualTime } from '../../support/rs485/manualTime';
import { mockBinding } from '../../support/rs485/mockPort';
import { startPtyPair, type PtyPair } from '../../support/rs485/ptyPair';

const CH340: RawPortInfo = {
  path: '/dev/ttyUSB0',
  manufacturer: '1a86',
  serialNumber: undefined,
  vendorId: '1A86',
  productId: '7523',
  pnpId: 'usb-1a86_USB_Serial-if00-port0',
};
const LIDAR: RawPortInfo = {
  path: '/dev/ttyUSB1',
  manufacturer: 'Silicon Labs',
  serialNumber: '0001',
  vendorId: '10c4',
  productId: 'ea60',
};
const BUILTIN: RawPortInfo = { path: '/dev/ttyS0' };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a failure');
}

describe('listing serial ports', () => {
  it('gives path, VID:PID, manufacturer and serial number, the known RS485 adapter first', async () => {
    const ports = await listSerialPorts(async () => [BUILTIN, LIDAR, CH340]);
    expect(ports.map((p) => [p.path, p.vidPid, p.manufacturer, p.serialNumber])).toEqual([
      ['/dev/ttyUSB0', '1a86:7523', '1a86', null],
      ['/dev/ttyUSB1', '10c4:ea60', 'Silicon Labs', '0001'],
      ['/dev/ttyS0', null, null, null],
    ]);
    expect(ports[0]!.hint).toMatch(/CH340 USB-RS485/);
    expect(ports[1]!.hint).toMatch(/LiDAR/);
  });

  it("reads serialport's list(), here through the mock binding", async () => {
    mockBinding.createPort('/dev/ttyMOCK485', {
      vendorId: '1a86',
      productId: '7523',
      manufacturer: 'QinHeng',
    });
    const ports = await listSerialPorts(async () => (await mockBinding.list()) as RawPortInfo[]);
    expect(ports.find((p) => p.path === '/dev/ttyMOCK485')).toMatchObject({
      vidPid: '1a86:7523',
      manufacturer: 'QinHeng',
    });
  });

  it('lists the ports of this machine without failing', async () => {
    const ports = await listSerialPorts(systemPortLister);
    expect(Array.isArray(ports)).toBe(true);
    for (const port of ports) {
      expect(port.path).toMatch(/^\//);
    }
  });

  it('tells a replugged different adapter on the same path apart', () => {
    const before = [toPortEntry(CH340)];
    const after = [toPortEntry({ ...LIDAR, path: '/dev/ttyUSB0' })];
    const { added, removed } = diffPorts(before, after);
    expect(added.map((p) => p.vidPid)).toEqual(['10c4:ea60']);
    expect(removed.map((p) => p.vidPid)).toEqual(['1a86:7523']);
  });
});

describe('PortWatcher', () => {
  it('reports adapters plugged in and pulled out, keeps going after a failed poll, and stops cleanly', async () => {
    const time = manualTime();
    const { logger, records } = createCapturingLogger();
    let present: RawPortInfo[] = [BUILTIN];
    let failNext = false;
    const watcher = new PortWatcher({
      lister: async () => {
        if (failNext) {
          failNext = false;
          throw new Error('udev is busy');
        }
        return present;
      },
      timers: time.timers,
      intervalMs: 500,
      logger,
    });
    const events: PortEvent[] = [];
    watcher.onChange((event) => events.push(event));
    await watcher.start();
    expect(watcher.current().map((p) => p.path)).toEqual(['/dev/ttyS0']);
    expect(events).toEqual([]);

    present = [BUILTIN, CH340];
    await time.advance(500);
    expect(events.map((e) => `${e.kind} ${e.port.path} ${e.port.vidPid}`)).toEqual(['added /dev/ttyUSB0 1a86:7523']);

    failNext = true;
    present = [BUILTIN];
    await time.advance(500);
    expect(records.map((r) => r.message)).toContain('listing serial ports failed');
    await time.advance(500);
    expect(events.map((e) => `${e.kind} ${e.port.path}`)).toEqual(['added /dev/ttyUSB0', 'removed /dev/ttyUSB0']);

    await watcher.stop();
    expect(time.pending()).toBe(0);
  });
});

describe('connect and release on a pty', () => {
  let pty: PtyPair;
  let settings: BusSettings;

  beforeAll(async () => {
    pty = await startPtyPair();
    settings = busSettings(pty.a);
  });
  afterAll(async () => {
    await pty?.stop();
  });

  it('holds the port while connected and frees it on release, so a flashing tool can open it', async () => {
    const bus = await connectBus(settings);
    const busy = await rejection(connectBus(settings));
    expect(busy.code).toBe('SERIAL_PORT_BUSY');
    expect(busy.message).toBe(`The serial port ${pty.a} is in use by another program`);
    await bus.release();
    await bus.release();
    expect(bus.isOpen).toBe(false);
    const again = await connectBus(settings);
    await again.release();
  });

  it('keeps one bus per port in the app', async () => {
    const connections = new BusConnections();
    const bus = await connections.connect(settings);
    expect((await rejection(connections.connect(settings))).message).toMatch(/already connected to/);
    expect(connections.get(pty.a)).toBe(bus);
    await connections.release(pty.a);
    expect(connections.get(pty.a)).toBeUndefined();
    await (await connections.connect(settings)).release();
    await connections.releaseAll();
  });

  it('says when the port is not there, and refuses settings the bus cannot use', async () => {
    const missing = await rejection(connectBus(busSettings('/dev/ttyUSB-not-here')));
    expect(missing.code).toBe('SERIAL_PORT_NOT_FOUND');
    expect(missing.message).toBe('There is no serial port /dev/ttyUSB-not-here (is the adapter plugged in?)');
    const bad = await rejection(connectBus({ ...settings, baudRate: 12345 as 9600 }));
    expect(bad.code).toBe('VALIDATION');
    expect(bad.message).toMatch(/baud rate must be one of 9600, 19200, 38400, 57600, 115200/);
  });

  it('maps open failures by cause', () => {
    expect(
      mapOpenError('/dev/x', Object.assign(new Error('Permission denied, cannot open /dev/x'), { code: 'EACCES' }))
        .message,
    ).toMatch(/dialout group/);
    expect(mapOpenError('/dev/x', new Error('Port is locked cannot open')).code).toBe('SERIAL_PORT_BUSY');
    expect(mapOpenError('/dev/x', new Error('something odd')).code).toBe('CONNECT_FAILED');
  });
});
