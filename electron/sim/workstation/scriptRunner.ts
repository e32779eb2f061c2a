import { posix } from 'node:path';

import { shellQuote } from '../../core/transport/transport';
import type { ScriptHandle } from '../shell/run';
import type { SimVehicle } from '../SimVehicle';
import { childrenOf, nodeAt, removeTree } from '../simTree';

/**
 * What the workstation's own scripts need from the simulated shell beyond simple commands: run one (each is parsed
 * and run by the simulated shell and its programs), capture its output, expand a glob, split shell words. The
 * scripts' control flow (if, for, traps, functions, $(…), pipes) is what the recognisers in this folder carry out,
 * exactly as each script states it; every command in them still runs as a program of the vehicle.
 */
export type Runner = {
  vehicle: SimVehicle;
  /** Runs a simple command line in a child shell with the script's descriptors; its exit status. */
  run(command: string): number;
  /** Runs a command with its stdout captured (not shown); its status and output. */
  capture(command: string): { status: number; out: string };
  /** Writes to the script's stderr. */
  err(text: string): void;
  out(text: string): void;
};

let captureSeq = 0;

export function runner(vehicle: SimVehicle, shell: ScriptHandle): Runner {
  return {
    vehicle,
    run: (command) => shell.runScript(command, shell.fds),
    capture(command) {
      captureSeq += 1;
      const file = `/tmp/.ohtw-sim-capture-${captureSeq}`;
      const status = shell.runScript(`${command} > ${file}`, shell.fds);
      const out = vehicle.state.files[file] ?? '';
      removeTree(vehicle, file);
      return { status, out };
    },
    err: (text) => shell.write(shell.fds, 2, text),
    out: (text) => shell.write(shell.fds, 1, text),
  };
}

export const q = shellQuote;

/**
 * Splits what the workstation wrote as shell words (quoted with shellQuote, a glob left bare in a last component)
 * into their values: `'a b'` → `a b`, `'it'\''s'` → `it's`, `'etc/'oht50*.service` → `etc/oht50*.service`.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      current += text.slice(i + 1, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[i + 1];
      i += 1;
      inWord = true;
    } else if (c === ' ') {
      if (inWord) {
        words.push(current);
      }
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) {
    words.push(current);
  }
  return words;
}

/** What a word with a glob in its last component matches on the vehicle (itself, when nothing matches, as sh does). */
export function expandGlob(vehicle: SimVehicle, path: string): string[] {
  const last = posix.basename(path);
  if (!/[*?]/.test(last)) {
    return [path];
  }
  const pattern = new RegExp(
    `^${last
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  const dir = posix.dirname(path);
  const found = childrenOf(vehicle, dir.startsWith('/') ? dir : `/${dir}`)
    .filter((name) => pattern.test(name))
    .map((name) => posix.join(dir, name));
  return found.length > 0 ? found : [path];
}

/** `[ -e P ] || [ -L P ]` (a path relative to / counts from /). */
export function exists(vehicle: SimVehicle, path: string): boolean {
  return nodeAt(vehicle, path.startsWith('/') ? path : `/${path}`) !== undefined;
}
