import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export const PYTHON = '/usr/bin/python3';
export const SOCAT = '/usr/bin/socat';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The pty tests need socat; say what to install instead of skipping. */
export function assertSocat(): void {
  if (!executable(SOCAT)) {
    throw new Error(`The RS485 pty tests need ${SOCAT}: apt-get install socat`);
  }
}

/** The third-party slave runs on Debian's python3 with python3-pymodbus (not the pyenv python3 on PATH). */
export function assertPymodbus(): void {
  assertSocat();
  if (!executable(PYTHON)) {
    throw new Error(`The pymodbus tests need ${PYTHON}: apt-get install python3 python3-pymodbus`);
  }
  try {
    execFileSync(PYTHON, ['-c', 'import pymodbus.server, pymodbus.transaction'], { stdio: 'pipe' });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The pymodbus tests need python3-pymodbus for ${PYTHON}: apt-get install python3-pymodbus (${text})`,
      { cause: error },
    );
  }
}
