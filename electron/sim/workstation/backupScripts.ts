import {
  ABSENT_PREFIX,
  backupScript,
  DB_MEMBER_DIR,
  DB_TOOL_PREFIX,
  SCRIPT_EXIT,
} from '../../core/backup/remote/backupScript';
import { listingScript } from '../../core/backup/remote/remoteListing';
import { nodeAt } from '../simTree';
import { exists, expandGlob, q, shellWords, type Runner } from './scriptRunner';

/**
 * The backup's two scripts (remote/backupScript.ts, remote/remoteListing.ts), recognised only when the workstation's
 * own builders write them byte for byte from what is read back out of them, and carried out step by step with the
 * vehicle's programs: mktemp, the sqlite3 backup and its check, chown/chmod/touch --reference, tar.
 */

type BackupRequest = {
  roots: { path: string; exclude: string[] }[];
  databases: { path: string }[];
  tempDir: string;
  listOnStdin: boolean;
};

/** Reads back what a backup script was built from; null when it is not one. */
function parseBackupScript(script: string): BackupRequest | null {
  const temp = /^umask 077\nt=\$\(mktemp -d (.+?)\/ohtw-backup\.XXXXXX\)/.exec(script);
  if (temp?.[1] === undefined) {
    return null;
  }
  const tempDir = shellWords(temp[1])[0] ?? '/tmp';
  const databases = [...script.matchAll(/^if \[ -f (.+?) \]; then$/gm)].map((m) => ({
    path: shellWords(m[1] ?? '')[0] ?? '',
  }));
  const listOnStdin = script.includes('cat > "$t/list"');
  const forLine = /^for p in (.+); do$/m.exec(script)?.[1];
  const roots =
    forLine === undefined || forLine === "''"
      ? []
      : shellWords(forLine).map((p) => ({ path: `/${p}`, exclude: [] as string[] }));
  const tarLine = /^tar -c -f - --format=gnu --hard-dereference --anchored (.*) -C "\$t"/m.exec(script)?.[1] ?? '';
  const dbExcludes = new Set(databases.flatMap((d) => ['', '-wal', '-shm', '-journal'].map((s) => `${d.path}${s}`)));
  const excludes = [...tarLine.matchAll(/--exclude=(\S+)/g)]
    .map((m) => `/${shellWords(m[1] ?? '').join('')}`)
    .filter((p) => !dbExcludes.has(p));
  if (roots[0] !== undefined) {
    roots[0].exclude = excludes;
  }
  return { roots, databases, tempDir, listOnStdin };
}

/** Copies one database with SQLite's backup into the temporary folder, checks the copy, keeps owner, mode, time. */
function copyDatabase(r: Runner, t: string, path: string, index: number): number | null {
  const dst = `${t}/${DB_MEMBER_DIR}/${index}`;
  const copy = `sqlite3 -bail -cmd '.timeout 30000' ${q(path)} 'BEGIN' 'SELECT count(*) FROM sqlite_master' ".backup '${dst}'" 'COMMIT' >/dev/null 2>${q(`${t}/dberr`)}`;
  let status = r.run(copy);
  let tool = 'sqlite3';
  if (status === 127) {
    tool = 'python3';
    status = r.run(`python3 -c 'import sqlite3' ${q(path)} ${q(dst)} >/dev/null 2>${q(`${t}/dberr`)}`);
  }
  if (status !== 0) {
    const why = (r.vehicle.state.files[`${t}/dberr`] ?? '').slice(0, 300);
    r.err(`ohtw: copying ${path} with ${tool} failed: ${why}\n`);
    return SCRIPT_EXIT.databaseCopy;
  }
  const check =
    tool === 'sqlite3'
      ? r
          .capture(`sqlite3 ${q(dst)} 'PRAGMA quick_check' 2>&1`)
          .out.slice(0, 300)
          .trim()
      : 'ok';
  if (check !== 'ok') {
    r.err(`ohtw: the copy of ${path} fails its check: ${check}\n`);
    return SCRIPT_EXIT.databaseCheck;
  }
  r.run(`chown --reference=${q(path)} ${q(dst)}`);
  r.run(`chmod --reference=${q(path)} ${q(dst)}`);
  r.run(`touch -r ${q(path)} ${q(dst)}`);
  r.err(`${DB_TOOL_PREFIX}${index} ${tool}\n`);
  return null;
}

function runBackup(r: Runner, request: BackupRequest): number {
  const made = r.capture(`mktemp -d ${q(`${request.tempDir}/ohtw-backup.XXXXXX`)}`);
  const t = made.out.trim();
  if (made.status !== 0 || t === '') {
    r.err('ohtw: cannot create a temporary folder on the unit\n');
    return SCRIPT_EXIT.tempDir;
  }
  try {
    r.run(`mkdir -- ${q(`${t}/${DB_MEMBER_DIR}`)}`);
    if (request.listOnStdin) {
      r.run(`cat > ${q(`${t}/list`)}`);
    }
    for (const [index, database] of request.databases.entries()) {
      if (nodeAt(r.vehicle, database.path)?.type !== 'file') {
        r.err(`${ABSENT_PREFIX}${database.path}\n`);
        continue;
      }
      const failed = copyDatabase(r, t, database.path, index);
      if (failed !== null) {
        return failed;
      }
    }
    const excludes = request.roots.flatMap((root) => root.exclude);
    const excludeArgs = [
      ...excludes,
      ...request.databases.flatMap((d) => ['', '-wal', '-shm', '-journal'].map((s) => `${d.path}${s}`)),
    ]
      .map((path) => `--exclude=${q(path.slice(1))}`)
      .join(' ');
    if (request.listOnStdin) {
      return r.run(
        `tar -c -f - --format=gnu --hard-dereference -C ${q(t)} ${DB_MEMBER_DIR} -C / --no-recursion --ignore-failed-read --null -T ${q(`${t}/list`)}`,
      );
    }
    const members: string[] = [];
    for (const root of request.roots) {
      for (const path of expandGlob(r.vehicle, root.path)) {
        if (exists(r.vehicle, path)) {
          members.push(path.slice(1));
        } else {
          r.err(`${ABSENT_PREFIX}${path}\n`);
        }
      }
    }
    return r.run(
      `tar -c -f - --format=gnu --hard-dereference --anchored ${excludeArgs} -C ${q(t)} ${DB_MEMBER_DIR} -C / ${members.map(q).join(' ')}`,
    );
  } finally {
    r.run(`rm -rf -- ${q(t)}`);
  }
}

function runListing(r: Runner, roots: string[]): number {
  const present: string[] = [];
  for (const root of roots) {
    for (const path of expandGlob(r.vehicle, root)) {
      if (exists(r.vehicle, path)) {
        present.push(path.slice(1));
      } else {
        r.err(`${ABSENT_PREFIX}${path}\n`);
      }
    }
  }
  if (present.length === 0) {
    return 0;
  }
  return r.run(`find ${present.map(q).join(' ')} -printf '%y %m %U %G %s %T@ %p\\0'`);
}

/** A backup or listing script of the workstation, carried out; null when the script is neither. */
export function answerBackupScripts(script: string, r: Runner): number | null {
  const request = parseBackupScript(script);
  if (request !== null) {
    const rebuilt = backupScript({ ...request, tempDir: request.tempDir === '/tmp' ? undefined : request.tempDir });
    return rebuilt === script ? runBackup(r, request) : null;
  }
  const listing = /^cd \/ \|\| exit 70\nset --\nfor p in (.+); do\n/.exec(script);
  if (listing?.[1] !== undefined) {
    const roots = listing[1] === "''" ? [] : shellWords(listing[1]).map((p) => `/${p}`);
    return listingScript(roots.map((path) => ({ path }))) === script ? runListing(r, roots) : null;
  }
  return null;
}
