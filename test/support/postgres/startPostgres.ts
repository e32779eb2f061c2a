import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real PostgreSQL server for the team tests, started from Debian's `postgresql` package in a temporary folder and
 * stopped when the test is done: `initdb` as a dedicated non-root system user (PostgreSQL refuses to run as root,
 * and the tests run as root), `pg_ctl start` on a free port on 127.0.0.1 with its socket in the same folder. Nothing
 * of the host's own PostgreSQL service (if it has one) is used or touched.
 */

/** The system account the test servers run as; made once, never logs in. */
export const PG_SYSTEM_USER = 'ohtw-pg';
export const PG_SUPERUSER = 'postgres';
export const PG_SUPERUSER_PASSWORD = 'ohtw-pg-superuser';

export type PostgresFixture = {
  host: '127.0.0.1';
  port: number;
  /** A connection URL for the superuser (for the tests' own checks and tampering). */
  adminUrl(database?: string): string;
  /** Creates a login role with a password and a database it owns; returns the URL without the password. */
  createTeamDatabase(role: string, password: string, database: string): Promise<string>;
  stop(): Promise<void>;
};

function run(file: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', env: env ?? process.env }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${file} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        return;
      }
      resolve(stdout);
    });
  });
}

/** The newest installed PostgreSQL's programs (Debian keeps them out of PATH, under /usr/lib/postgresql/N/bin). */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) {
    return null;
  }
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

/** Says exactly what is missing instead of skipping. */
export function assertPostgresRequirements(): string {
  const bin = postgresBinDir();
  const missing: string[] = [];
  if (process.getuid?.() !== 0) {
    missing.push('root privileges (the harness creates the ohtw-pg system user and runs the server as it)');
  }
  if (bin === null) {
    missing.push('PostgreSQL (apt-get install postgresql; scripts/setup.sh --test installs it)');
  }
  for (const tool of ['/usr/sbin/runuser', '/usr/sbin/useradd', '/usr/bin/flock']) {
    if (!existsSync(tool)) {
      missing.push(tool);
    }
  }
  if (missing.length > 0 || bin === null) {
    throw new Error(`The PostgreSQL test harness cannot run. Missing: ${missing.join('; ')}`);
  }
  return bin;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function ensureSystemUser(): Promise<{ uid: number; gid: number }> {
  const lock = join(tmpdir(), 'ohtw-pg-user.lock');
  await run('/usr/bin/flock', [
    '-w',
    '60',
    lock,
    'sh',
    '-c',
    `id -u ${PG_SYSTEM_USER} >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin ${PG_SYSTEM_USER}`,
  ]);
  const uid = Number((await run('id', ['-u', PG_SYSTEM_USER])).trim());
  const gid = Number((await run('id', ['-g', PG_SYSTEM_USER])).trim());
  return { uid, gid };
}

function asPgUser(bin: string, program: string, args: readonly string[]): Promise<string> {
  return run('/usr/sbin/runuser', ['-u', PG_SYSTEM_USER, '--', join(bin, program), ...args], {
    ...process.env,
    LC_ALL: 'C.UTF-8',
    LANG: 'C.UTF-8',
  });
}

export async function startPostgres(): Promise<PostgresFixture> {
  const bin = assertPostgresRequirements();
  const owner = await ensureSystemUser();
  const root = await mkdtemp(join(tmpdir(), 'ohtw-pg-'));
  await chmod(root, 0o755);
  await chown(root, owner.uid, owner.gid);
  const data = join(root, 'data');
  const pwfile = join(root, 'pwfile');
  await writeFile(pwfile, `${PG_SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
  await chown(pwfile, owner.uid, owner.gid);
  await asPgUser(bin, 'initdb', [
    '-D',
    data,
    '-U',
    PG_SUPERUSER,
    `--pwfile=${pwfile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    '--no-sync',
  ]);
  let port = 0;
  for (let attempt = 0; ; attempt += 1) {
    port = await freePort();
    try {
      await asPgUser(bin, 'pg_ctl', [
        '-D',
        data,
        '-l',
        join(root, 'server.log'),
        '-w',
        '-t',
        '60',
        '-o',
        `-c listen_addresses=127.0.0.1 -p ${port} -k ${root} -c fsync=off -c max_connections=40`,
        'start',
      ]);
      break;
    } catch (error) {
      // Another process took the port between the probe and the start: try another.
      if (attempt >= 3) {
        throw error;
      }
    }
  }
  const psql = (database: string, sql: string) =>
    asPgUser(bin, 'psql', [
      '-h',
      root,
      '-p',
      String(port),
      '-U',
      PG_SUPERUSER,
      '-d',
      database,
      '-v',
      'ON_ERROR_STOP=1',
      '-qAt',
      '-c',
      sql,
    ]);
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    adminUrl: (database = 'postgres') =>
      `postgres://${PG_SUPERUSER}:${encodeURIComponent(PG_SUPERUSER_PASSWORD)}@127.0.0.1:${port}/${database}`,
    async createTeamDatabase(role, password, database) {
      await psql('postgres', `CREATE ROLE "${role}" LOGIN PASSWORD '${password.replace(/'/g, "''")}'`);
      await psql('postgres', `CREATE DATABASE "${database}" OWNER "${role}"`);
      return `postgres://${role}@127.0.0.1:${port}/${database}`;
    },
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      try {
        await asPgUser(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
  };
}
