import ssh2, { type Attributes, type SFTPWrapper } from 'ssh2';

import type { SimVehicle } from './SimVehicle';

/*
 * The SFTP subsystem of a simulated vehicle, over its files (state.files): enough for the Files tab to browse, read,
 * and replace a file as the login user (which owns everything on a simulated unit). Folders are the paths above the
 * files; permission bits are kept per path once set.
 */

const { OPEN_MODE, STATUS_CODE } = ssh2.utils.sftp;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const DIR_MODE = 0o755;
const FILE_MODE = 0o644;

const modes = new WeakMap<SimVehicle, Map<string, number>>();

function modesOf(vehicle: SimVehicle): Map<string, number> {
  let found = modes.get(vehicle);
  if (!found) {
    found = new Map();
    modes.set(vehicle, found);
  }
  return found;
}

/** `/a/./b/../c` as `/a/c`; relative paths from the login user's home. */
export function normalizeSimPath(path: string, home: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${home}/${path}`).split('/')) {
    if (part === '..') {
      parts.pop();
    } else if (part !== '' && part !== '.') {
      parts.push(part);
    }
  }
  return `/${parts.join('/')}`;
}

function isDir(vehicle: SimVehicle, path: string): boolean {
  const prefix = path === '/' ? '/' : `${path}/`;
  return Object.keys(vehicle.state.files).some((file) => file.startsWith(prefix));
}

function children(vehicle: SimVehicle, dir: string): string[] {
  const prefix = dir === '/' ? '/' : `${dir}/`;
  const names = new Set<string>();
  for (const file of Object.keys(vehicle.state.files)) {
    if (file.startsWith(prefix)) {
      names.add(file.slice(prefix.length).split('/')[0] ?? '');
    }
  }
  names.delete('');
  return [...names].sort();
}

function attrsOf(vehicle: SimVehicle, path: string): Attributes | null {
  const uid = vehicle.state.access.loginUid;
  const mtime = Math.floor(vehicle.now() / 1000);
  const content = vehicle.state.files[path];
  const perm = modesOf(vehicle).get(path);
  if (content !== undefined) {
    const size = Buffer.byteLength(content);
    return { mode: S_IFREG | (perm ?? FILE_MODE), uid, gid: uid, size, atime: mtime, mtime };
  }
  if (path === '/' || isDir(vehicle, path)) {
    return { mode: S_IFDIR | (perm ?? DIR_MODE), uid, gid: uid, size: 4096, atime: mtime, mtime };
  }
  return null;
}

function longname(name: string, attrs: Attributes, user: string): string {
  const dir = (attrs.mode & S_IFDIR) === S_IFDIR;
  const bits = 'rwxrwxrwx'
    .split('')
    .map((c, i) => ((attrs.mode >> (8 - i)) & 1 ? c : '-'))
    .join('');
  return `${dir ? 'd' : '-'}${bits}    1 ${user.padEnd(8)} ${user.padEnd(8)} ${String(attrs.size).padStart(8)} Jan  1 00:00 ${name}`;
}

type Handle = { path: string; write: boolean; chunks: Buffer[]; dirListed?: boolean };

export function serveSimSftp(sftp: SFTPWrapper, vehicle: SimVehicle, user: string, home: string): void {
  const handles = new Map<string, Handle>();
  let nextHandle = 1;
  const open = (handle: Handle): Buffer => {
    const id = Buffer.from(String(nextHandle++));
    handles.set(id.toString(), handle);
    return id;
  };
  const path = (raw: string): string => normalizeSimPath(raw, home);
  const stat = (reqId: number, raw: string): void => {
    const attrs = attrsOf(vehicle, path(raw));
    if (attrs) {
      sftp.attrs(reqId, attrs);
    } else {
      sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE);
    }
  };

  sftp.on('REALPATH', (reqId, raw) => {
    const full = path(raw);
    sftp.name(reqId, [{ filename: full, longname: full, attrs: {} as Attributes }]);
  });
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('OPENDIR', (reqId, raw) => {
    const full = path(raw);
    if (!(full === '/' || isDir(vehicle, full))) {
      sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE);
      return;
    }
    sftp.handle(reqId, open({ path: full, write: false, chunks: [] }));
  });
  sftp.on('READDIR', (reqId, id) => {
    const handle = handles.get(id.toString());
    if (!handle || handle.dirListed) {
      sftp.status(reqId, handle ? STATUS_CODE.EOF : STATUS_CODE.FAILURE);
      return;
    }
    handle.dirListed = true;
    const entries = children(vehicle, handle.path).flatMap((name) => {
      const attrs = attrsOf(vehicle, normalizeSimPath(`${handle.path}/${name}`, home));
      return attrs ? [{ filename: name, longname: longname(name, attrs, user), attrs }] : [];
    });
    sftp.name(reqId, entries);
  });
  sftp.on('OPEN', (reqId, raw, flags, attrs) => {
    const full = path(raw);
    const writing = (flags & OPEN_MODE.WRITE) !== 0;
    if (!writing && vehicle.state.files[full] === undefined) {
      sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE);
      return;
    }
    if (writing && typeof attrs.mode === 'number') {
      modesOf(vehicle).set(full, attrs.mode & 0o7777);
    }
    const keep = writing && (flags & OPEN_MODE.TRUNC) === 0 ? [Buffer.from(vehicle.state.files[full] ?? '')] : [];
    if (writing) {
      vehicle.state.files[full] = Buffer.concat(keep).toString();
    }
    sftp.handle(reqId, open({ path: full, write: writing, chunks: keep }));
  });
  sftp.on('READ', (reqId, id, offset, length) => {
    const handle = handles.get(id.toString());
    const content = Buffer.from(handle ? (vehicle.state.files[handle.path] ?? '') : '');
    if (!handle || offset >= content.length) {
      sftp.status(reqId, handle ? STATUS_CODE.EOF : STATUS_CODE.FAILURE);
      return;
    }
    sftp.data(reqId, content.subarray(offset, offset + length));
  });
  sftp.on('WRITE', (reqId, id, offset, data) => {
    const handle = handles.get(id.toString());
    if (!handle?.write) {
      sftp.status(reqId, STATUS_CODE.FAILURE);
      return;
    }
    const current = Buffer.concat(handle.chunks);
    const next = Buffer.alloc(Math.max(current.length, offset + data.length));
    current.copy(next);
    data.copy(next, offset);
    handle.chunks = [next];
    sftp.status(reqId, STATUS_CODE.OK);
  });
  const setMode = (reqId: number, full: string, attrs: Attributes): void => {
    if (typeof attrs.mode === 'number') {
      modesOf(vehicle).set(full, attrs.mode & 0o7777);
    }
    sftp.status(reqId, STATUS_CODE.OK);
  };
  sftp.on('FSETSTAT', (reqId, id, attrs) => setMode(reqId, handles.get(id.toString())?.path ?? '', attrs));
  sftp.on('SETSTAT', (reqId, raw, attrs) => setMode(reqId, path(raw), attrs));
  sftp.on('FSTAT', (reqId, id) => stat(reqId, handles.get(id.toString())?.path ?? '/nonexistent'));
  sftp.on('CLOSE', (reqId, id) => {
    const handle = handles.get(id.toString());
    handles.delete(id.toString());
    if (handle?.write) {
      vehicle.state.files[handle.path] = Buffer.concat(handle.chunks).toString();
    }
    sftp.status(reqId, handle ? STATUS_CODE.OK : STATUS_CODE.FAILURE);
  });
  sftp.on('RENAME', (reqId, rawFrom, rawTo) => {
    const [from, to] = [path(rawFrom), path(rawTo)];
    const content = vehicle.state.files[from];
    if (content === undefined) {
      sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE);
      return;
    }
    // Replaces an existing file, as posix-rename does: the simulator offers no other kind.
    vehicle.state.files[to] = content;
    delete vehicle.state.files[from];
    const mode = modesOf(vehicle).get(from);
    modesOf(vehicle).delete(from);
    if (mode !== undefined) {
      modesOf(vehicle).set(to, mode);
    }
    sftp.status(reqId, STATUS_CODE.OK);
  });
  sftp.on('REMOVE', (reqId, raw) => {
    const full = path(raw);
    const existed = vehicle.state.files[full] !== undefined;
    delete vehicle.state.files[full];
    sftp.status(reqId, existed ? STATUS_CODE.OK : STATUS_CODE.NO_SUCH_FILE);
  });
  for (const unsupported of ['MKDIR', 'RMDIR', 'READLINK', 'SYMLINK', 'EXTENDED']) {
    sftp.on(unsupported, (reqId: number) => sftp.status(reqId, STATUS_CODE.OP_UNSUPPORTED));
  }
}
