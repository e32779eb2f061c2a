import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';

import type { Program, ProgramContext } from '../shell/program';
import {
  childrenOf,
  groupName,
  nodeAt,
  removeTree,
  setNode,
  SIM_GROUPS,
  SIM_USERS,
  userName,
  type SimNode,
} from '../simTree';

/**
 * The coreutils a backup and a restore run on the vehicle, over the simulated tree (simTree.ts): umask, mktemp,
 * mkdir, rm, rmdir, mv, ln, chown, chmod, touch, stat, sha256sum and sync, with GNU's messages and exit codes for
 * what the workstation can meet. Only root changes what is not its own.
 */

function split(
  args: readonly string[],
  flags: string,
): { flags: Set<string>; values: Map<string, string>; rest: string[] } {
  const out = { flags: new Set<string>(), values: new Map<string, string>(), rest: [] as string[] };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      out.rest.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.includes('=')) {
      const [key, value] = arg.split(/=(.*)/s);
      out.values.set(key ?? '', value ?? '');
    } else if (/^-[A-Za-z]+$/.test(arg) && [...arg.slice(1)].every((c) => flags.includes(c))) {
      for (const c of arg.slice(1)) {
        if (flags.includes(`${c}:`)) {
          out.values.set(c, args[++i] ?? '');
        } else {
          out.flags.add(c);
        }
      }
    } else if (arg.startsWith('--')) {
      out.flags.add(arg);
    } else {
      out.rest.push(arg);
    }
  }
  return out;
}

function denied(c: ProgramContext, tool: string, path: string, what: string): number {
  c.io.err(`${tool}: ${what} '${path}': Permission denied\n`);
  return 1;
}

/** Root may change anything; anyone else only what is theirs (and below folders they can write). */
function mayChange(c: ProgramContext, path: string): boolean {
  if (c.user.uid === 0) {
    return true;
  }
  const parent = nodeAt(c.vehicle, posix.dirname(path));
  return (
    parent !== undefined && ((parent.uid === c.user.uid && (parent.mode & 0o200) !== 0) || (parent.mode & 0o002) !== 0)
  );
}

function resolveLink(c: ProgramContext, path: string): string {
  let at = path;
  for (let hops = 0; hops < 8; hops += 1) {
    const node = c.vehicle.state.fileMeta[at];
    if (node?.type !== 'symlink' || node.target === undefined) {
      return at;
    }
    at = posix.resolve(posix.dirname(at), node.target);
  }
  return at;
}

function moveTree(c: ProgramContext, from: string, to: string): void {
  const { files, fileMeta } = c.vehicle.state;
  removeTree(c.vehicle, to);
  for (const table of [files, fileMeta] as Record<string, unknown>[]) {
    for (const key of Object.keys(table)) {
      if (key === from || key.startsWith(`${from}/`)) {
        table[to + key.slice(from.length)] = table[key];
        delete table[key];
      }
    }
  }
}

export const umask: Program = {
  // dash's builtin: the simulated programs create what they create with the modes they are given.
  run: () => 0,
};

export const sync: Program = { path: '/usr/bin/sync', run: () => 0 };

export const mktemp: Program = {
  path: '/usr/bin/mktemp',
  run(args, c) {
    const { flags, rest } = split(args, 'dqu');
    const template = rest[0] ?? '/tmp/tmp.XXXXXXXXXX';
    // Letters and digits only, as mktemp draws them.
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const path = template.replace(/X+$/, (xs) =>
      [...randomBytes(xs.length)].map((b) => letters[b % letters.length] as string).join(''),
    );
    if (!mayChange(c, path)) {
      c.io.err(
        `mktemp: failed to create ${flags.has('d') ? 'directory' : 'file'} via template '${template}': Permission denied\n`,
      );
      return 1;
    }
    const node: SimNode = {
      type: flags.has('d') ? 'dir' : 'file',
      mode: 0o700,
      uid: c.user.uid,
      gid: c.user.uid,
      mtimeMs: c.nowMs,
    };
    setNode(c.vehicle, path, flags.has('d') ? node : { ...node, mode: 0o600 });
    if (!flags.has('d')) {
      c.vehicle.state.files[path] = '';
    }
    c.io.out(`${path}\n`);
    return 0;
  },
};

export const mkdir: Program = {
  path: '/usr/bin/mkdir',
  run(args, c) {
    const { flags, values, rest } = split(args, 'pm:');
    const mode = values.has('m') ? parseInt(values.get('m') ?? '755', 8) : 0o755;
    for (const dir of rest) {
      if (nodeAt(c.vehicle, dir) !== undefined) {
        if (!flags.has('p')) {
          c.io.err(`mkdir: cannot create directory '${dir}': File exists\n`);
          return 1;
        }
        continue;
      }
      if (nodeAt(c.vehicle, posix.dirname(dir))?.type !== 'dir' && !flags.has('p')) {
        c.io.err(`mkdir: cannot create directory '${dir}': No such file or directory\n`);
        return 1;
      }
      if (!mayChange(c, dir)) {
        return denied(c, 'mkdir', dir, 'cannot create directory');
      }
      setNode(c.vehicle, dir, { type: 'dir', mode, uid: c.user.uid, gid: c.user.uid, mtimeMs: c.nowMs });
    }
    return 0;
  },
};

export const rm: Program = {
  path: '/usr/bin/rm',
  run(args, c) {
    const { flags, rest } = split(args, 'frR');
    let status = 0;
    for (const path of rest) {
      const node = nodeAt(c.vehicle, path);
      if (node === undefined) {
        if (!flags.has('f')) {
          c.io.err(`rm: cannot remove '${path}': No such file or directory\n`);
          status = 1;
        }
        continue;
      }
      if (node.type === 'dir' && !flags.has('r') && !flags.has('R')) {
        c.io.err(`rm: cannot remove '${path}': Is a directory\n`);
        status = 1;
        continue;
      }
      if (!mayChange(c, path)) {
        status = denied(c, 'rm', path, 'cannot remove');
        continue;
      }
      removeTree(c.vehicle, path);
    }
    return status;
  },
};

export const rmdir: Program = {
  path: '/usr/bin/rmdir',
  run(args, c) {
    for (const dir of split(args, '').rest) {
      if (nodeAt(c.vehicle, dir)?.type !== 'dir') {
        c.io.err(`rmdir: failed to remove '${dir}': Not a directory\n`);
        return 1;
      }
      if (childrenOf(c.vehicle, dir).length > 0) {
        c.io.err(`rmdir: failed to remove '${dir}': Directory not empty\n`);
        return 1;
      }
      removeTree(c.vehicle, dir);
    }
    return 0;
  },
};

export const mv: Program = {
  path: '/usr/bin/mv',
  run(args, c) {
    const { flags, rest } = split(args, 'fT');
    const [from, to] = rest;
    if (from === undefined || to === undefined || rest.length !== 2) {
      c.io.err('mv: missing destination file operand\n');
      return 1;
    }
    if (nodeAt(c.vehicle, from) === undefined) {
      c.io.err(`mv: cannot stat '${from}': No such file or directory\n`);
      return 1;
    }
    const target = !flags.has('T') && nodeAt(c.vehicle, to)?.type === 'dir' ? `${to}/${posix.basename(from)}` : to;
    if (!mayChange(c, from) || !mayChange(c, target)) {
      return denied(c, 'mv', from, 'cannot move');
    }
    // rename(2): the source itself moves (a symlink as a symlink), the target is replaced, nothing is followed.
    moveTree(c, from, target);
    return 0;
  },
};

export const ln: Program = {
  path: '/usr/bin/ln',
  run(args, c) {
    const { flags, rest } = split(args, 'sf');
    const [target, link] = rest;
    if (!flags.has('s') || target === undefined || link === undefined) {
      c.io.err('ln: the simulator makes symbolic links only (ln -s TARGET LINK)\n');
      return 1;
    }
    if (nodeAt(c.vehicle, link) !== undefined && !flags.has('f')) {
      c.io.err(`ln: failed to create symbolic link '${link}': File exists\n`);
      return 1;
    }
    setNode(c.vehicle, link, {
      type: 'symlink',
      mode: 0o777,
      uid: c.user.uid,
      gid: c.user.uid,
      mtimeMs: c.nowMs,
      target,
    });
    return 0;
  },
};

function ownerIds(spec: string): { uid?: number; gid?: number } | null {
  const [user, group] = spec.split(':');
  const id = (name: string | undefined, table: Readonly<Record<string, number>>): number | undefined | null => {
    if (name === undefined || name === '') {
      return undefined;
    }
    return /^\d+$/.test(name) ? Number(name) : (table[name] ?? null);
  };
  const uid = id(user, SIM_USERS);
  const gid = id(group, SIM_GROUPS);
  return uid === null || gid === null
    ? null
    : { ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }) };
}

export const chown: Program = {
  path: '/usr/bin/chown',
  run(args, c) {
    const { flags, values, rest } = split(args, 'hR');
    const reference = values.get('--reference');
    const refNode = reference === undefined ? undefined : nodeAt(c.vehicle, reference);
    const specs = reference === undefined ? rest.slice(1) : rest;
    const ids = refNode !== undefined ? { uid: refNode.uid, gid: refNode.gid } : ownerIds(rest[0] ?? '');
    if (ids === null) {
      c.io.err(`chown: invalid user: '${rest[0] ?? ''}'\n`);
      return 1;
    }
    if (c.user.uid !== 0) {
      return denied(c, 'chown', specs[0] ?? '', 'changing ownership of');
    }
    for (const given of specs) {
      // Without -h a symlink's target changes, as chown does; with -h the link itself.
      const path = flags.has('h') ? given : resolveLink(c, given);
      const node = nodeAt(c.vehicle, path);
      if (node === undefined) {
        c.io.err(`chown: cannot access '${given}': No such file or directory\n`);
        return 1;
      }
      setNode(c.vehicle, path, { ...node, ...ids });
    }
    return 0;
  },
};

export const chmod: Program = {
  path: '/usr/bin/chmod',
  run(args, c) {
    const { values, rest } = split(args, '');
    const reference = values.get('--reference');
    const refNode = reference === undefined ? undefined : nodeAt(c.vehicle, reference);
    const paths = reference === undefined ? rest.slice(1) : rest;
    const mode = refNode?.mode ?? parseInt(rest[0] ?? '', 8);
    if (!Number.isInteger(mode)) {
      c.io.err(`chmod: invalid mode: '${rest[0] ?? ''}'\n`);
      return 1;
    }
    for (const given of paths) {
      // chmod always follows a symlink given on the command line.
      const path = resolveLink(c, given);
      const node = nodeAt(c.vehicle, path);
      if (node === undefined) {
        c.io.err(`chmod: cannot access '${given}': No such file or directory\n`);
        return 1;
      }
      if (c.user.uid !== 0 && node.uid !== c.user.uid) {
        return denied(c, 'chmod', given, 'changing permissions of');
      }
      setNode(c.vehicle, path, { ...node, mode });
    }
    return 0;
  },
};

export const touch: Program = {
  path: '/usr/bin/touch',
  run(args, c) {
    const { values, rest } = split(args, 'r:');
    const reference = values.get('r');
    const mtimeMs = reference === undefined ? c.nowMs : nodeAt(c.vehicle, reference)?.mtimeMs;
    for (const path of rest) {
      const node = nodeAt(c.vehicle, path);
      if (node === undefined) {
        c.vehicle.state.files[path] = '';
        setNode(c.vehicle, path, {
          type: 'file',
          mode: 0o644,
          uid: c.user.uid,
          gid: c.user.uid,
          mtimeMs: mtimeMs ?? c.nowMs,
        });
      } else {
        setNode(c.vehicle, path, { ...node, mtimeMs: mtimeMs ?? c.nowMs });
      }
    }
    return 0;
  },
};

/** The bytes of a simulated file: the UTF-8 of its text. */
export function fileBytes(c: ProgramContext, path: string): Buffer | undefined {
  const text = c.vehicle.state.files[path];
  return text === undefined ? undefined : Buffer.from(text, 'utf8');
}

const STAT_TYPES: Record<string, string> = { file: 'regular file', dir: 'directory', symlink: 'symbolic link' };

export const stat: Program = {
  path: '/usr/bin/stat',
  run(args, c) {
    const { values, rest } = split(args, 'c:L');
    const format = values.get('c') ?? values.get('--format') ?? values.get('--printf') ?? '%n';
    let status = 0;
    for (const path of rest) {
      const node = nodeAt(c.vehicle, path);
      if (node === undefined) {
        c.io.err(`stat: cannot statx '${path}': No such file or directory\n`);
        status = 1;
        continue;
      }
      const fields: Record<string, string> = {
        a: node.mode.toString(8),
        U: userName(node.uid),
        G: groupName(node.gid),
        u: String(node.uid),
        g: String(node.gid),
        s: String(
          node.type === 'file'
            ? (fileBytes(c, path)?.length ?? 0)
            : node.type === 'symlink'
              ? (node.target ?? '').length
              : 4096,
        ),
        Y: String(Math.floor(node.mtimeMs / 1000)),
        F: STAT_TYPES[node.type] ?? node.type,
        n: path,
      };
      c.io.out(`${format.replace(/%(.)/g, (all, key: string) => fields[key] ?? all)}\n`);
    }
    return status;
  },
};

export const sha256sum: Program = {
  path: '/usr/bin/sha256sum',
  run(args, c) {
    const { flags, rest } = split(args, 'zb');
    let status = 0;
    for (const path of rest) {
      const bytes = fileBytes(c, resolveLink(c, path));
      if (bytes === undefined) {
        c.io.err(`sha256sum: ${path}: No such file or directory\n`);
        status = 1;
        continue;
      }
      c.io.out(`${createHash('sha256').update(bytes).digest('hex')}  ${path}${flags.has('z') ? '\0' : '\n'}`);
    }
    return status;
  },
};
