import type { Program, ProgramContext } from '../shell/program';
import { groupName, nodeAt, removeTree, userName, walk, type SimNode } from '../simTree';
import { fileBytes } from './files';

/**
 * find, for what the workstation and the runbook ask of a unit's tree: paths, -xdev, -mindepth/-maxdepth N, one
 * group of `-path P` prunes (`\( -path A -o -path B \) -prune -o`), -type f|d|l, -name GLOB, -mtime [+-]N, and
 * -printf / -print0 / -print / -delete with GNU's directives. Finding nothing is no error: the status is 0.
 */

type Query = {
  roots: string[];
  prunes: string[];
  minDepth: number;
  maxDepth: number;
  type: string | null;
  names: RegExp[];
  /** -mtime: whole days since the last change, compared as GNU find does (+N more than N, -N less, N exactly). */
  mtime: { cmp: '+' | '-' | '='; days: number } | null;
  action: { kind: 'printf'; format: string } | { kind: 'print'; end: string } | { kind: 'delete' };
};

function parse(args: readonly string[]): Query | string {
  const q: Query = {
    roots: [],
    prunes: [],
    minDepth: 0,
    maxDepth: Infinity,
    type: null,
    names: [],
    mtime: null,
    action: { kind: 'print', end: '\n' },
  };
  let i = 0;
  for (; i < args.length && !(args[i] ?? '').startsWith('-') && args[i] !== '(' && args[i] !== '!'; i += 1) {
    q.roots.push(args[i] ?? '');
  }
  for (; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '-xdev' || arg === '(' || arg === ')' || arg === '-o') {
      continue;
    } else if (arg === '-path') {
      q.prunes.push(args[++i] ?? '');
    } else if (arg === '-prune') {
      continue;
    } else if (arg === '-maxdepth') {
      q.maxDepth = Number(args[++i]);
    } else if (arg === '-mindepth') {
      q.minDepth = Number(args[++i]);
    } else if (arg === '-name') {
      q.names.push(glob(args[++i] ?? ''));
    } else if (arg === '-mtime') {
      const value = args[++i] ?? '';
      const m = /^([+-]?)(\d+)$/.exec(value);
      if (!m) {
        return `find: invalid argument \`${value}' to \`-mtime'`;
      }
      q.mtime = { cmp: (m[1] || '=') as '+' | '-' | '=', days: Number(m[2]) };
    } else if (arg === '-delete') {
      q.action = { kind: 'delete' };
    } else if (arg === '-type') {
      q.type = args[++i] ?? null;
    } else if (arg === '-printf') {
      q.action = { kind: 'printf', format: args[++i] ?? '' };
    } else if (arg === '-print0') {
      q.action = { kind: 'print', end: '\0' };
    } else if (arg === '-print') {
      q.action = { kind: 'print', end: '\n' };
    } else {
      return `find: unknown predicate \`${arg}'`;
    }
  }
  return q;
}

const TYPE: Record<SimNode['type'], string> = { file: 'f', dir: 'd', symlink: 'l' };

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

function format(c: ProgramContext, path: string, shownPath: string, node: SimNode, template: string): string {
  const size =
    node.type === 'file'
      ? (fileBytes(c, path)?.length ?? 0)
      : node.type === 'symlink'
        ? (node.target ?? '').length
        : 4096;
  const fields: Record<string, string> = {
    y: TYPE[node.type],
    m: node.mode.toString(8),
    U: String(node.uid),
    G: String(node.gid),
    u: userName(node.uid),
    g: groupName(node.gid),
    s: String(size),
    p: shownPath,
    l: node.target ?? '',
  };
  return template
    .replace(/%T@/g, (node.mtimeMs / 1000).toFixed(10))
    .replace(/%([ymUGugspl])/g, (_all, key: string) => fields[key] ?? '')
    .replace(/\\0/g, '\0')
    .replace(/\\n/g, '\n');
}

function selected(q: Query, path: string, node: SimNode, depth: number, nowMs: number): boolean {
  if (depth < q.minDepth || (q.type !== null && TYPE[node.type] !== q.type)) {
    return false;
  }
  const name = path.split('/').pop() ?? '';
  if (q.names.length > 0 && !q.names.some((n) => n.test(name))) {
    return false;
  }
  if (q.mtime !== null) {
    const days = Math.floor((nowMs - node.mtimeMs) / 86_400_000);
    const { cmp, days: n } = q.mtime;
    return cmp === '+' ? days > n : cmp === '-' ? days < n : days === n;
  }
  return true;
}

/** -delete: a file or an empty folder, with write permission on the folder holding it (root has it everywhere). */
function deletePath(c: ProgramContext, path: string, shown: string): number {
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  const folder = nodeAt(c.vehicle, parent);
  const mayWrite =
    c.user.uid === 0 || (folder !== undefined && folder.uid === c.user.uid && (folder.mode & 0o200) !== 0);
  if (!mayWrite) {
    c.io.err(`find: cannot delete '${shown}': Permission denied\n`);
    return 1;
  }
  if (nodeAt(c.vehicle, path)?.type === 'dir' && walk(c.vehicle, path).length > 1) {
    c.io.err(`find: cannot delete '${shown}': Directory not empty\n`);
    return 1;
  }
  removeTree(c.vehicle, path);
  return 0;
}

export const find: Program = {
  path: '/usr/bin/find',
  run(args, c) {
    const q = parse(args);
    if (typeof q === 'string') {
      c.io.err(`${q}\n`);
      return 1;
    }
    const pruned = q.prunes.map(glob);
    let status = 0;
    for (const given of q.roots) {
      // The simulated shell's working directory is always /: a relative path is printed as given.
      // A trailing slash stays on the root as printed; the paths below it get one slash, as GNU find prints them.
      const root = (given.startsWith('/') ? given : `/${given}`).replace(/(.)\/+$/, '$1');
      const shown = (path: string): string => (path === root ? given : given.startsWith('/') ? path : path.slice(1));
      if (nodeAt(c.vehicle, root) === undefined) {
        c.io.err(`find: '${given}': No such file or directory\n`);
        status = 1;
        continue;
      }
      const depthOf = (path: string): number => (path === root ? 0 : path.slice(root.length).split('/').length - 1);
      const paths = walk(c.vehicle, root, (path) => pruned.some((p) => p.test(path)) || depthOf(path) > q.maxDepth);
      for (const path of paths) {
        const node = nodeAt(c.vehicle, path) as SimNode;
        if (!selected(q, path, node, depthOf(path), c.nowMs)) {
          continue;
        }
        if (q.action.kind === 'delete') {
          status = deletePath(c, path, shown(path)) || status;
          continue;
        }
        c.io.out(
          q.action.kind === 'printf'
            ? format(c, path, shown(path), node, q.action.format)
            : `${shown(path)}${q.action.end}`,
        );
      }
    }
    return status;
  },
};
