import { posix } from 'node:path';

import type { Program, ProgramContext } from '../shell/program';
import { takeStdin } from '../simStdin';
import { groupName, nodeAt, setNode, SIM_GROUPS, SIM_USERS, userName, walk, type SimNode } from '../simTree';
import { fileBytes } from './files';

/**
 * GNU tar for the backup and the restore: `-c -f -` (members relative to -C, --exclude, --no-recursion,
 * --null -T FILE|-) writes a GNU archive on stdout; `-x -f - -C DIR` reads one from stdin and, as root with
 * --same-owner --same-permissions, gives each file the archive's owner and mode. The simulated tree holds text, so an
 * archive is valid UTF-8 end to end and travels as the exec's text output.
 */
const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, node: SimNode, size: number, typeFlag: string, link = ''): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(node.mode & 0o7777, 8), 100, 'ascii');
  block.write(octal(node.uid, 8), 108, 'ascii');
  block.write(octal(node.gid, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(Math.floor(node.mtimeMs / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(typeFlag, 156, 'ascii');
  block.write(link, 157, 100, 'utf8');
  block.write('ustar  \0', 257, 'ascii');
  block.write(userName(node.uid), 265, 32, 'utf8');
  block.write(groupName(node.gid), 297, 32, 'utf8');
  let sum = 0;
  for (const byte of block) {
    sum += byte;
  }
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

const pad = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** A member's headers: a GNU long-name record first when the name (or link) does not fit 100 bytes. */
function memberHeaders(name: string, node: SimNode, size: number, flag: string, link: string): Buffer[] {
  const out: Buffer[] = [];
  for (const [value, longFlag] of [
    [name, 'L'],
    [link, 'K'],
  ] as const) {
    if (Buffer.byteLength(value) >= 100) {
      const body = Buffer.from(`${value}\0`, 'utf8');
      out.push(header('././@LongLink', { ...node, mode: 0o644 }, body.length, longFlag), body, pad(body.length));
    }
  }
  const short = (v: string): string => (Buffer.byteLength(v) >= 100 ? '' : v);
  out.push(header(short(name), node, size, flag, short(link)));
  return out;
}

type CreateOptions = { excludes: RegExp[] };

function excludeRegExp(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}(/.*)?$`,
  );
}

/** Appends one member (and, with recursion, what lies below it) to the archive. */
function addMember(
  c: ProgramContext,
  out: Buffer[],
  base: string,
  name: string,
  recurse: boolean,
  opts: CreateOptions,
): boolean {
  const path = posix.join(base, name);
  if (nodeAt(c.vehicle, path) === undefined) {
    c.io.err(`tar: ${name}: Cannot stat: No such file or directory\n`);
    return false;
  }
  const paths = recurse
    ? walk(c.vehicle, path, (p) => opts.excludes.some((e) => e.test(posix.relative(base, p))))
    : [path];
  for (const member of paths) {
    const node = nodeAt(c.vehicle, member) as SimNode;
    const rel = posix.relative(base, member) || '.';
    if (node.type === 'dir') {
      out.push(...memberHeaders(`${rel}/`, node, 0, '5', ''));
    } else if (node.type === 'symlink') {
      out.push(...memberHeaders(rel, node, 0, '2', node.target ?? ''));
    } else {
      const bytes = fileBytes(c, member) ?? Buffer.alloc(0);
      out.push(...memberHeaders(rel, node, bytes.length, '0', ''), bytes, pad(bytes.length));
    }
  }
  return true;
}

function create(args: readonly string[], c: ProgramContext): number {
  const out: Buffer[] = [];
  const opts: CreateOptions = { excludes: [] };
  let base = '/';
  let recurse = true;
  let nul = false;
  let missing = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '-C') {
      base = args[++i] ?? '/';
    } else if (arg.startsWith('--exclude=')) {
      opts.excludes.push(excludeRegExp(arg.slice('--exclude='.length)));
    } else if (arg === '--no-recursion') {
      recurse = false;
    } else if (arg === '--null') {
      nul = true;
    } else if (arg === '-T') {
      const source = args[++i] ?? '-';
      const list = source === '-' ? takeStdin(c.vehicle).toString('utf8') : (c.vehicle.state.files[source] ?? '');
      for (const name of list.split(nul ? '\0' : '\n').filter((n) => n !== '')) {
        missing = !addMember(c, out, base, name, recurse, opts) || missing;
      }
    } else if (arg === '-c' || arg === '-f' || arg === '-' || arg.startsWith('--')) {
      continue; // -f - (stdout), --format=gnu, --hard-dereference, --anchored, --ignore-failed-read
    } else if (c.user.uid !== 0 && !mayReadAll(c, posix.join(base, arg))) {
      c.io.err(`tar: ${arg}: Cannot open: Permission denied\n`);
      missing = true;
    } else {
      missing = !addMember(c, out, base, arg, recurse, opts) || missing;
    }
  }
  out.push(Buffer.alloc(BLOCK * 20));
  const archive = Buffer.concat(out);
  const text = archive.toString('utf8');
  if (Buffer.byteLength(text) !== archive.length) {
    c.io.err('tar: simulator: the archive is not text\n');
    return 2;
  }
  c.io.out(text);
  return missing ? (args.includes('--ignore-failed-read') ? 0 : 2) : 0;
}

function mayReadAll(c: ProgramContext, path: string): boolean {
  const node = nodeAt(c.vehicle, path);
  return node !== undefined && (node.uid === c.user.uid || (node.mode & 0o004) !== 0);
}

/** Reads the archive on stdin into the tree under `-C`. */
function extract(args: readonly string[], c: ProgramContext): number {
  const base = args[args.indexOf('-C') + 1] ?? '/';
  const keepOwner = c.user.uid === 0 && !args.includes('--no-same-owner');
  const keepMode = c.user.uid === 0 && !args.includes('--no-same-permissions');
  const data = takeStdin(c.vehicle);
  let at = 0;
  let pax = new Map<string, string>();
  while (at + BLOCK <= data.length) {
    const block = data.subarray(at, at + BLOCK);
    at += BLOCK;
    if (block.every((b) => b === 0)) {
      return 0;
    }
    const text = (from: number, length: number): string => {
      const field = block.subarray(from, from + length);
      const end = field.indexOf(0);
      return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
    };
    const num = (from: number, length: number): number => parseInt(text(from, length).trim() || '0', 8);
    const flag = String.fromCharCode(block[156] as number);
    const size = Number(pax.get('size') ?? num(124, 12));
    const body = data.subarray(at, at + size);
    at += size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (flag === 'x') {
      pax = new Map(
        body
          .toString('utf8')
          .split('\n')
          .filter((r) => r.includes('='))
          .map((r) => [r.slice(r.indexOf(' ') + 1, r.indexOf('=')), r.slice(r.indexOf('=') + 1)] as [string, string]),
      );
      continue;
    }
    const name = pax.get('path') ?? text(0, 100);
    const uname = text(265, 32);
    const gname = text(297, 32);
    const uid = SIM_USERS[uname] ?? Number(pax.get('uid') ?? num(108, 8));
    const gid = SIM_GROUPS[gname] ?? Number(pax.get('gid') ?? num(116, 8));
    pax = new Map();
    const path = posix.join(base, name);
    // The file is made anew: whatever was at the path (a symlink included) is replaced, never followed.
    delete c.vehicle.state.fileMeta[path];
    c.vehicle.state.files[path] = body.toString('utf8');
    setNode(c.vehicle, path, {
      type: 'file',
      mode: keepMode ? num(100, 8) : 0o600,
      uid: keepOwner ? uid : c.user.uid,
      gid: keepOwner ? gid : c.user.uid,
      mtimeMs: num(136, 12) * 1000,
    });
  }
  c.io.err('tar: Unexpected EOF in archive\n');
  return 2;
}

export const tar: Program = {
  path: '/usr/bin/tar',
  run(args, c) {
    if (args.includes('-c')) {
      return create(args, c);
    }
    if (args.includes('-x')) {
      return extract(args, c);
    }
    c.io.err("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\n");
    return 2;
  },
};
