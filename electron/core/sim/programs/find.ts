import type { Program, ProgramContext } from '../shell/program';
import { groupName, nodeAt, userName, walk, type SimNode } from '../simTree';
import { fileBytes } from './files';

/**
 * find, for what the workstation asks of a unit's tree: paths, -xdev, -maxdepth N, one group of `-path P` prunes
 * (`\( -path A -o -path B \) -prune -o`), -type f|d|l, and -printf / -print0 / -print with GNU's directives.
 */

type Query = {
  roots: string[];
  prunes: string[];
  maxDepth: number;
  type: string | null;
  action: { kind: 'printf'; format: string } | { kind: 'print'; end: string };
};

function parse(args: readonly string[]): Query | string {
  const q: Query = { roots: [], prunes: [], maxDepth: Infinity, type: null, action: { kind: 'print', end: '\n' } };
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
      const root = given.startsWith('/') ? given : `/${given}`;
      const shown = (path: string): string => (given.startsWith('/') ? path : path.slice(1));
      if (nodeAt(c.vehicle, root) === undefined) {
        c.io.err(`find: '${given}': No such file or directory\n`);
        status = 1;
        continue;
      }
      const depthOf = (path: string): number => (path === root ? 0 : path.slice(root.length).split('/').length - 1);
      const paths = walk(c.vehicle, root, (path) => pruned.some((p) => p.test(path)) || depthOf(path) > q.maxDepth);
      for (const path of paths) {
        const node = nodeAt(c.vehicle, path) as SimNode;
        if (q.type !== null && TYPE[node.type] !== q.type) {
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
