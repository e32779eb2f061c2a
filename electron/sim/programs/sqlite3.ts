import type { Program, ProgramContext } from '../shell/program';
import { corruptionReport, SQLITE_HEADER } from '../simDatabase';
import { setNode } from '../simTree';

/**
 * The sqlite3 shell (3.37, as on Ubuntu 22.04) for the statements a diagnosis runs on a vehicle's database:
 * PRAGMA quick_check / integrity_check and SELECT 1, with sqlite3's own error texts and exit codes.
 */

const VERSION = '3.37.2 2022-01-06 13:25:41 872ba256cbf61d9290b571c0e6d82a20c224ca3ad82971edc46b29818d5dalt1';
const FLAGS = new Set([
  '-batch',
  '-bail',
  '-header',
  '-noheader',
  '-list',
  '-csv',
  '-json',
  '-line',
  '-column',
  '-box',
  '-table',
  '-markdown',
  '-echo',
  '-interactive',
]);

type Parsed = { file: string | undefined; sql: string[]; readonly: boolean } | { error: string } | { version: true };

function parse(args: readonly string[]): Parsed {
  let readonly = false;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (positional.length > 0 || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const option = arg.replace(/^--/, '-');
    if (option === '-readonly') {
      readonly = true;
    } else if (option === '-version') {
      return { version: true };
    } else if (option === '-cmd') {
      const command = args[++i];
      if (command === undefined) {
        return { error: 'sqlite3: Error: missing argument to -cmd' };
      }
      if (!/^\.timeout\s+\d+$/.test(command.trim()) && !/^\.bail\s+(on|off)$/.test(command.trim())) {
        return {
          error: `Error: unknown command or invalid arguments:  "${command.trim().slice(1)}". Enter ".help" for help`,
        };
      }
    } else if (!FLAGS.has(option)) {
      return { error: `sqlite3: Error: unknown option: ${arg}\nUse -help for a list of options.` };
    }
  }
  const [file, ...sql] = positional;
  return { file, sql, readonly };
}

/** `.backup 'DEST'`: SQLite's online backup, page by page; a damaged database does not copy. */
function backupTo(c: ProgramContext, source: string, destination: string): number {
  const db = c.vehicle.state.database;
  if (db.path === source && db.health === 'corrupt') {
    c.io.err('Error: database disk image is malformed\n');
    return 1;
  }
  c.vehicle.state.files[destination] = c.vehicle.state.files[source] ?? '';
  setNode(c.vehicle, destination, { type: 'file', mode: 0o644, uid: c.user.uid, gid: c.user.uid, mtimeMs: c.nowMs });
  return 0;
}

function answer(sql: string, c: ProgramContext, path: string): number {
  const db = c.vehicle.state.database;
  const check = /^\s*PRAGMA\s+(quick_check|integrity_check)\s*(?:\(\s*(\d+)\s*\))?\s*;?\s*$/i.exec(sql);
  if (db.path === path && db.lockedByWriter) {
    c.io.err('Error: in prepare, database is locked (5)\n');
    return 1;
  }
  if (check) {
    const limit = check[2] === undefined ? 100 : Number(check[2]);
    const rows = db.path === path && db.health === 'corrupt' ? corruptionReport(limit) : ['ok'];
    c.io.out(`${rows.join('\n')}\n`);
    return 0;
  }
  if (/^\s*SELECT\s+1\s*;?\s*$/i.test(sql)) {
    c.io.out('1\n');
    return 0;
  }
  if (/^\s*(BEGIN|COMMIT)\s*;?\s*$/i.test(sql)) {
    return 0;
  }
  if (/^\s*SELECT\s+count\(\*\)\s+FROM\s+sqlite_master\s*;?\s*$/i.test(sql)) {
    c.io.out('12\n');
    return 0;
  }
  const backup = /^\s*\.backup\s+'([^']+)'\s*$/.exec(sql);
  if (backup?.[1] !== undefined) {
    return backupTo(c, path, backup[1]);
  }
  c.io.err(`Error: in prepare, the simulated sqlite3 answers only PRAGMA quick_check, integrity_check and SELECT 1\n`);
  return 1;
}

export const sqlite3: Program = {
  path: '/usr/bin/sqlite3',
  run(args, c) {
    const parsed = parse(args);
    if ('version' in parsed) {
      c.io.out(`${VERSION}\n`);
      return 0;
    }
    if ('error' in parsed) {
      c.io.err(`${parsed.error}\n`);
      return 1;
    }
    const { file, sql, readonly } = parsed;
    if (file === undefined || sql.length === 0) {
      return 0; // An interactive shell on /dev/null: it reads nothing and ends.
    }
    const files = c.vehicle.state.files;
    let content = files[file];
    if (content === undefined) {
      if (readonly) {
        c.io.err(`Error: unable to open database "${file}": unable to open database file\n`);
        return 1;
      }
      // Opening read-write creates an empty database, as sqlite3 does.
      files[file] = '';
      content = '';
    }
    if (content !== '' && !content.startsWith(SQLITE_HEADER)) {
      c.io.err('Error: in prepare, file is not a database (26)\n');
      return 1;
    }
    for (const statement of sql) {
      const status = answer(statement, c, file);
      if (status !== 0) {
        return status;
      }
    }
    return 0;
  },
};
