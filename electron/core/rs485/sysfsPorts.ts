/**
 * Serial ports read straight from Linux's sysfs. serialport's own Linux listing runs `udevadm`, which minimal
 * installs and containers do not have; a technician's laptop without it must still see its USB-RS485 adapter.
 */
import { readFile, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import type { RawPortInfo } from './ports';

/** Device names that can be a serial port; the many ttyN consoles and ptys are not. */
const SERIAL_NAME = /^(ttyUSB|ttyACM|ttyAMA|ttyS|ttyXRUSB|ttyCH343USB|ttymxc|ttySC)\d+$/;

async function readAttribute(folder: string, name: string): Promise<string | undefined> {
  try {
    const value = (await readFile(join(folder, name), 'utf8')).trim();
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

/** The USB device folder above an interface: the nearest ancestor that has idVendor. */
async function usbDeviceFolder(deviceFolder: string, sysRoot: string): Promise<string | undefined> {
  let folder = deviceFolder;
  while (folder.startsWith(sysRoot) && folder !== sysRoot) {
    if ((await readAttribute(folder, 'idVendor')) !== undefined) {
      return folder;
    }
    folder = dirname(folder);
  }
  return undefined;
}

async function driverName(deviceFolder: string): Promise<string | undefined> {
  try {
    return basename(await realpath(join(deviceFolder, 'driver')));
  } catch {
    return undefined;
  }
}

/**
 * Lists serial ports under `sysRoot` (normally /sys): every tty with a backing device, except the 8250 UART
 * placeholders the kernel creates whether or not a port exists; USB adapters carry VID:PID, maker and serial.
 */
export async function listSysfsPorts(sysRoot = '/sys', devRoot = '/dev'): Promise<RawPortInfo[]> {
  const classFolder = join(sysRoot, 'class', 'tty');
  let names: string[];
  try {
    names = await readdir(classFolder);
  } catch {
    return [];
  }
  const ports: RawPortInfo[] = [];
  for (const name of names.filter((n) => SERIAL_NAME.test(n)).sort()) {
    let deviceFolder: string;
    try {
      deviceFolder = await realpath(join(classFolder, name, 'device'));
    } catch {
      continue; // no backing device: a virtual terminal, not a port
    }
    if (name.startsWith('ttyS') && (await driverName(deviceFolder)) === 'serial8250') {
      continue;
    }
    const usb = await usbDeviceFolder(deviceFolder, sysRoot);
    ports.push({
      path: join(devRoot, name),
      manufacturer: usb === undefined ? undefined : await readAttribute(usb, 'manufacturer'),
      serialNumber: usb === undefined ? undefined : await readAttribute(usb, 'serial'),
      vendorId: usb === undefined ? undefined : await readAttribute(usb, 'idVendor'),
      productId: usb === undefined ? undefined : await readAttribute(usb, 'idProduct'),
      pnpId: undefined,
      locationId: undefined,
    });
  }
  return ports;
}
