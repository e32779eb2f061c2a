import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { listSerialPorts } from '../../../electron/core/rs485/ports';
import { listSysfsPorts } from '../../../electron/core/rs485/sysfsPorts';

/** A sysfs tree as a laptop has it: a CH340 on USB, a UART placeholder, a real UART, a console and a Pi's UART. */
async function fakeSysfs(root: string): Promise<void> {
  const file = async (path: string, text: string): Promise<void> => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), `${text}\n`);
  };
  const link = async (path: string, target: string): Promise<void> => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await mkdir(join(root, target), { recursive: true });
    await symlink(join(root, target), join(root, path));
  };
  const usb = 'devices/pci0000:00/0000:00:14.0/usb1/1-2';
  await file(`${usb}/idVendor`, '1a86');
  await file(`${usb}/idProduct`, '7523');
  await file(`${usb}/manufacturer`, 'QinHeng Electronics');
  await file(`${usb}/serial`, '');
  await link('class/tty/ttyUSB0/device', `${usb}/1-2:1.0/ttyUSB0`);
  await link('class/tty/ttyS0/device', 'devices/platform/serial8250/tty/ttyS0');
  await link('devices/platform/serial8250/tty/ttyS0/driver', 'bus/platform/drivers/serial8250');
  await link('class/tty/ttyS4/device', 'devices/pnp0/00:04');
  await link('devices/pnp0/00:04/driver', 'bus/pnp/drivers/serial');
  await link('class/tty/ttyAMA0/device', 'devices/platform/fe201000.serial');
  await mkdir(join(root, 'class/tty/tty1'), { recursive: true });
  await mkdir(join(root, 'class/tty/ptmx'), { recursive: true });
}

describe('serial ports from sysfs, where udevadm is missing', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ohtw-sysfs-'));
    await fakeSysfs(root);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists USB adapters with VID:PID and maker, real UARTs, and leaves out placeholders and consoles', async () => {
    const raw = await listSysfsPorts(root, '/dev');
    expect(raw.map((p) => p.path)).toEqual(['/dev/ttyAMA0', '/dev/ttyS4', '/dev/ttyUSB0']);
    const ports = await listSerialPorts(async () => raw);
    expect(ports[0]).toMatchObject({
      path: '/dev/ttyUSB0',
      vidPid: '1a86:7523',
      manufacturer: 'QinHeng Electronics',
      serialNumber: null,
    });
    expect(ports[0]!.hint).toMatch(/CH340/);
    expect(ports.find((p) => p.path === '/dev/ttyS4')?.vidPid).toBeNull();
  });

  it('gives an empty list, not an error, where there is no sysfs', async () => {
    expect(await listSysfsPorts(join(root, 'missing'))).toEqual([]);
  });
});
