#!/usr/bin/python3
"""A Modbus RTU slave for the tests, served by Debian's python3-pymodbus (3.0.x), not by our own code.

Usage: pymodbus_slave.py PORT --slave ID[:TYPE[:minimal]] [--slave ...]

Each slave gets the OHT-50 identity block (0x00F8-0x00FF, 0x0100-0x0109) as holding registers, with
holding register i = 100 + i below 0x00F8 and input register i = 1000 + i. A "minimal" slave has no
registers below 0x0100, so reads there get exception 02 (illegal data address).
"""
import argparse
import logging

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartSerialServer
from pymodbus.transaction import ModbusRtuFramer

IDENTITY_START = 0x00F8


def identity(slave_id, module_type):
    name = f"M{slave_id:02d}"[:4].ljust(4)
    return [
        (ord(name[0]) << 8) | ord(name[1]),  # 0x00F8 name, low word
        (ord(name[2]) << 8) | ord(name[3]),  # 0x00F9 name, high word
        0x0101,  # 0x00FA hardware version (alt)
        0x2345,  # 0x00FB serial, low
        0x0001,  # 0x00FC serial, high
        0x1011,  # 0x00FD build date, low
        0x2025,  # 0x00FE build date, high
        0xBEEF,  # 0x00FF checksum
        slave_id,  # 0x0100 device id
        5,  # 0x0101 baud code (115200)
        0,  # 0x0102 parity none
        1,  # 0x0103 stop bits
        module_type,  # 0x0104 module type
        0x0102,  # 0x0105 firmware 1.02
        0x0101,  # 0x0106 hardware 1.01
        0x0001,  # 0x0107 status
        0x0000,  # 0x0108 error
        0x0000,  # 0x0109 reset error
    ]


def store_for(slave_id, module_type, minimal):
    ident = identity(slave_id, module_type)
    if minimal:
        hr = ModbusSequentialDataBlock(0x0100, ident[8:])
    else:
        hr = ModbusSequentialDataBlock(0, [100 + i for i in range(IDENTITY_START)] + ident)
    return ModbusSlaveContext(
        hr=hr,
        ir=ModbusSequentialDataBlock(0, [1000 + i for i in range(300)]),
        co=ModbusSequentialDataBlock(0, [0] * 16),
        di=ModbusSequentialDataBlock(0, [0] * 16),
        zero_mode=True,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port")
    parser.add_argument("--slave", action="append", required=True)
    args = parser.parse_args()
    slaves = {}
    for spec in args.slave:
        parts = spec.split(":")
        slave_id = int(parts[0], 0)
        module_type = int(parts[1], 0) if len(parts) > 1 else 0
        slaves[slave_id] = store_for(slave_id, module_type, len(parts) > 2 and parts[2] == "minimal")
    logging.basicConfig(level=logging.CRITICAL)
    print(f"pymodbus slave on {args.port}: {sorted(slaves)}", flush=True)
    StartSerialServer(
        context=ModbusServerContext(slaves=slaves, single=False),
        framer=ModbusRtuFramer,
        ignore_missing_slaves=True,
        port=args.port,
        baudrate=115200,
        bytesize=8,
        parity="N",
        stopbits=1,
        timeout=0.005,
    )


if __name__ == "__main__":
    main()
