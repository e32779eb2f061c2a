import type { Program, ProgramContext } from '../shell/program';
import { strftimeUtc } from '../timeFormat';
import { childrenOf, groupName, mayRead, nodeAt, setNode, userName, type SimNode } from '../simTree';

/**
 * ls and cp (coreutils 9.1) for the runbook's looks at the install folder and its copy of the backend's .env before
 * a change: the long listing with owners and modes, and cp's -p and --backup=numbered. A folder the user may not
 * enter (/opt/oht50 is 750 oht:oht) is "Permission denied" without sudo, as on the vehicle.
 */

const TYPE_CHAR: Record<SimNode['type'], string> = { file: '-', dir: 'd', symlink: 'l' };
const SIX_MONTHS_MS = 182 * 86_400_000;

function modeString(node: SimNode): string {
  const bits = 'rwxrwxrwx'
    .split('')
    .map((ch, i) => ((node.mode >> (8 - i)) & 1 ? ch : '-'))
    .join('');
  const sticky = (node.mode & 0o1000) !== 0 ? `${bits.slice(0, 8)}${bits[8] === 'x' ? 't' : 'T'}` : bits;
  return `${TYPE_CHAR[node.type]}${sticky}`;
}

function sizeOf(c: ProgramContext, path: string, node: SimNode): number {
  if (node.type === 'dir') {
    return 4096;
  }
  return node.type === 'symlink'
    ? (node.target ?? '').length
    : Buffer.byteLength(c.vehicle.state.files[path] ?? '', 'utf8');
}

function longLine(c: ProgramContext, path: string, name: string, node: SimNode): string[] {
  const subfolders = childrenOf(c.vehicle, path).filter((n) => nodeAt(c.vehicle, join(path, n))?.type === 'dir');
  const links = node.type === 'dir' ? 2 + subfolders.length : 1;
  const recent = Math.abs(c.nowMs - node.mtimeMs) < SIX_MONTHS_MS;
  const when = strftimeUtc(node.mtimeMs, recent ? '%b %e %H:%M' : '%b %e  %Y');
  const shown = node.type === 'symlink' ? `${name} -> ${node.target ?? ''}` : name;
  const size = String(sizeOf(c, path, node));
  return [modeString(node), String(links), userName(node.uid), groupName(node.gid), size, when, shown];
}

function join(dir: string, name: string): string {
  return name === '.'
    ? dir
    : name === '..'
      ? dir.slice(0, dir.lastIndexOf('/')) || '/'
      : dir === '/'
        ? `/${name}`
        : `${dir}/${name}`;
}

function formatRows(rows: string[][]): string {
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      [
        r[0],
        (r[1] ?? '').padStart(widths[1] ?? 0),
        (r[2] ?? '').padEnd(widths[2] ?? 0),
        (r[3] ?? '').padEnd(widths[3] ?? 0),
        (r[4] ?? '').padStart(widths[4] ?? 0),
        r[5],
        r[6],
      ].join(' '),
    )
    .map((line) => `${line}\n`)
    .join('');
}

export const ls: Program = {
  path: '/usr/bin/ls',
  run(args, c) {
    const flags = new Set(args.filter((a) => /^-[a-zA-Z]+$/.test(a)).flatMap((a) => a.slice(1).split('')));
    const unknown = [...flags].find((f) => !'laAh1d'.includes(f));
    if (unknown !== undefined) {
      c.io.err(`ls: invalid option -- '${unknown}'\nTry 'ls --help' for more information.\n`);
      return 2;
    }
    const paths = args.filter((a) => !a.startsWith('-'));
    const targets = paths.length > 0 ? paths : ['/'];
    let status = 0;
    targets.forEach((given, index) => {
      const path = given.length > 1 ? given.replace(/\/+$/, '') : given;
      const node = nodeAt(c.vehicle, path);
      if (node === undefined) {
        c.io.err(`ls: cannot access '${given}': No such file or directory\n`);
        status = 2;
        return;
      }
      if (node.type !== 'dir' || flags.has('d')) {
        c.io.out(flags.has('l') ? formatRows([longLine(c, path, given, node)]) : `${given}\n`);
        return;
      }
      if (!mayRead(c.vehicle, `${path}/.`, c.user.uid) || !mayRead(c.vehicle, path, c.user.uid)) {
        c.io.err(`ls: cannot open directory '${given}': Permission denied\n`);
        status = 2;
        return;
      }
      const names = [
        ...(flags.has('a') ? ['.', '..'] : []),
        ...childrenOf(c.vehicle, path).filter((n) => flags.has('a') || flags.has('A') || !n.startsWith('.')),
      ];
      if (targets.length > 1) {
        c.io.out(`${index > 0 ? '\n' : ''}${given}:\n`);
      }
      if (!flags.has('l')) {
        c.io.out(names.map((n) => `${n}\n`).join(''));
        return;
      }
      const rows = names.map((name) => {
        const full = join(path, name);
        return longLine(c, full, name, nodeAt(c.vehicle, full) ?? node);
      });
      const blocks = names.reduce((sum, name) => {
        const full = join(path, name);
        const n = nodeAt(c.vehicle, full);
        return sum + (n === undefined || n.type === 'symlink' ? 0 : Math.ceil(sizeOf(c, full, n) / 4096) * 4);
      }, 0);
      c.io.out(`total ${blocks}\n${formatRows(rows)}`);
    });
    return status;
  },
};

/** The next free numbered backup name: FILE.~1~, FILE.~2~, … */
function numberedBackup(c: ProgramContext, path: string): string {
  for (let n = 1; ; n += 1) {
    const candidate = `${path}.~${n}~`;
    if (nodeAt(c.vehicle, candidate) === undefined) {
      return candidate;
    }
  }
}

export const cp: Program = {
  path: '/usr/bin/cp',
  run(args, c) {
    const keep = args.some((a) => a === '-p' || a === '-a' || a === '--preserve' || /^-[a-zA-Z]*[pa]/.test(a));
    const backup = args.find((a) => a.startsWith('--backup'));
    const operands = args.filter((a) => !a.startsWith('-'));
    const [source, target] = operands;
    if (source === undefined || target === undefined || operands.length > 2) {
      c.io.err(
        `cp: ${source === undefined ? 'missing file operand' : `missing destination file operand after '${source}'`}\nTry 'cp --help' for more information.\n`,
      );
      return 1;
    }
    const node = nodeAt(c.vehicle, source);
    const content = c.vehicle.state.files[source];
    if (node === undefined || content === undefined) {
      c.io.err(`cp: cannot stat '${source}': No such file or directory\n`);
      return 1;
    }
    if (!mayRead(c.vehicle, source, c.user.uid)) {
      c.io.err(`cp: cannot open '${source}' for reading: Permission denied\n`);
      return 1;
    }
    const folder = target.slice(0, target.lastIndexOf('/')) || '/';
    const folderNode = nodeAt(c.vehicle, folder);
    if (
      c.user.uid !== 0 &&
      (folderNode === undefined || folderNode.uid !== c.user.uid || (folderNode.mode & 0o200) === 0)
    ) {
      c.io.err(`cp: cannot create regular file '${target}': Permission denied\n`);
      return 1;
    }
    const existing = nodeAt(c.vehicle, target);
    if (existing !== undefined && backup !== undefined) {
      const saved =
        backup === '--backup=numbered' || backup === '--backup=t' ? numberedBackup(c, target) : `${target}~`;
      c.vehicle.state.files[saved] = c.vehicle.state.files[target] ?? '';
      setNode(c.vehicle, saved, existing);
    }
    c.vehicle.state.files[target] = content;
    setNode(
      c.vehicle,
      target,
      keep
        ? { ...node }
        : { type: 'file', mode: node.mode & 0o777, uid: c.user.uid, gid: c.user.uid, mtimeMs: c.nowMs },
    );
    return 0;
  },
};
