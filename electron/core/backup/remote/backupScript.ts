import type { BackupDatabase, BackupRoot } from '../../../../shared/domain/backup';
import { shellQuote } from '../../transport/transport';

/**
 * The one command a backup runs on the unit (through `sudo -n`, so files only root can read come along): copy each
 * database with SQLite's own backup into a private temporary folder, check the copy, then stream the database
 * copies and every root that exists as one tar on stdout. Names in the archive are relative to `/`; the database
 * copies come first as `.ohtw-db/<index>`, which no root can produce. The temporary folder is removed on every exit.
 */

/** The member folder the database copies are archived under. */
export const DB_MEMBER_DIR = '.ohtw-db';

/** Exit codes of the script's own failures (tar's are 0, 1 for "changed while read", 2 for fatal). */
export const SCRIPT_EXIT = {
  tempDir: 70,
  databaseCopy: 71,
  databaseCheck: 72,
} as const;

/** Lines on stderr the reader understands: a root that is not on the unit, a database that is not. */
export const ABSENT_PREFIX = 'ohtw-absent ';
export const DB_TOOL_PREFIX = 'ohtw-db-tool ';

/** A path relative to `/`, quoted for the shell except for a glob in its last component. */
export function relativeWord(path: string): string {
  const relative = path.slice(1);
  const cut = relative.lastIndexOf('/');
  const last = relative.slice(cut + 1);
  if (!/[*?]/.test(last)) {
    return shellQuote(relative);
  }
  // The profile schema allows only path characters, `*` and `?` here, so the glob is safe unquoted.
  return `${cut === -1 ? '' : shellQuote(relative.slice(0, cut + 1))}${last}`;
}

const PYTHON_BACKUP = [
  'import sqlite3, sys',
  'src = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True, timeout=30)',
  'dst = sqlite3.connect(sys.argv[2])',
  'src.backup(dst)',
  'ok = dst.execute("PRAGMA quick_check").fetchone()[0]',
  'dst.close(); src.close()',
  'sys.exit(0 if ok == "ok" else 3)',
].join('\n');

function databaseStep(database: BackupDatabase, index: number): string {
  const src = shellQuote(database.path);
  const dst = `"$t/${DB_MEMBER_DIR}/${index}"`;
  return [
    `if [ -f ${src} ]; then`,
    // Root must not leave a -wal or -shm behind that the service's own user could not open afterwards.
    `  for x in -wal -shm; do [ -e ${src}"$x" ] && echo 1 > "$t/had$x.${index}"; done`,
    // The read transaction around the copy keeps the source still: SQLite's backup restarts whenever another
    // connection writes between its steps, which a busy backend could do for ever.
    `  sqlite3 -bail -cmd '.timeout 30000' ${src} 'BEGIN' 'SELECT count(*) FROM sqlite_master' ".backup '$t/${DB_MEMBER_DIR}/${index}'" 'COMMIT' >/dev/null 2>"$t/dberr"; rc=$?`,
    `  tool=sqlite3`,
    `  if [ $rc -eq 127 ]; then python3 -c ${shellQuote(PYTHON_BACKUP)} ${src} "$t/${DB_MEMBER_DIR}/${index}" >/dev/null 2>"$t/dberr"; rc=$?; tool=python3; fi`,
    `  for x in -wal -shm; do if [ -e ${src}"$x" ] && [ ! -e "$t/had$x.${index}" ]; then chown --reference=${src} ${src}"$x" 2>/dev/null; fi; done`,
    `  if [ $rc -ne 0 ]; then echo "ohtw: copying "${src}" with $tool failed: $(head -c 300 "$t/dberr")" >&2; exit ${SCRIPT_EXIT.databaseCopy}; fi`,
    `  if [ $tool = sqlite3 ]; then chk=$(sqlite3 ${dst} 'PRAGMA quick_check' 2>&1 | head -c 300); else chk=ok; fi`,
    `  if [ "$chk" != ok ]; then echo "ohtw: the copy of "${src}" fails its check: $chk" >&2; exit ${SCRIPT_EXIT.databaseCheck}; fi`,
    `  chown --reference=${src} ${dst} && chmod --reference=${src} ${dst} && touch -r ${src} ${dst}`,
    `  echo "${DB_TOOL_PREFIX}${index} $tool" >&2`,
    `else`,
    `  echo "${ABSENT_PREFIX}"${src} >&2`,
    `fi`,
  ].join('\n');
}

export type BackupScriptInput = {
  roots: readonly Pick<BackupRoot, 'path' | 'exclude'>[];
  databases: readonly Pick<BackupDatabase, 'path'>[];
  /** Where the temporary folder goes on the unit (`/tmp` when absent). */
  tempDir?: string | undefined;
  /**
   * The paths to archive come on stdin, NUL-separated and relative to `/`, each archived alone (no recursion):
   * a backup that already holds the unchanged files asks only for the rest.
   */
  listOnStdin?: boolean | undefined;
};

export function backupScript(input: BackupScriptInput): string {
  const excludes = [
    ...input.roots.flatMap((r) => r.exclude),
    // A database inside a root travels as its consistent copy only, never as the live (possibly torn) file.
    ...input.databases.flatMap((d) => ['', '-wal', '-shm', '-journal'].map((suffix) => `${d.path}${suffix}`)),
  ].map((path) => `--exclude=${relativeWord(path)}`);
  const words = input.roots.map((r) => relativeWord(r.path));
  const start = [
    'umask 077',
    `t=$(mktemp -d ${shellQuote(input.tempDir ?? '/tmp')}/ohtw-backup.XXXXXX) || { echo 'ohtw: cannot create a temporary folder on the unit' >&2; exit ${SCRIPT_EXIT.tempDir}; }`,
    `trap 'rm -rf "$t"' EXIT`,
    `trap 'exit 143' TERM INT HUP PIPE`,
    `mkdir "$t/${DB_MEMBER_DIR}" || exit ${SCRIPT_EXIT.tempDir}`,
  ];
  if (input.listOnStdin === true) {
    return [
      ...start,
      // Read before anything else runs, so no other program can take the list from stdin.
      `cat > "$t/list" || exit ${SCRIPT_EXIT.tempDir}`,
      ...input.databases.map((d, i) => databaseStep(d as BackupDatabase, i)),
      `cd / || exit ${SCRIPT_EXIT.tempDir}`,
      // --no-recursion is positional in GNU tar: the database folder before it is archived whole, the list item by
      // item; a listed path removed since the listing is a warning, not a failed backup.
      `tar -c -f - --format=gnu --hard-dereference -C "$t" ${DB_MEMBER_DIR} -C / --no-recursion --ignore-failed-read --null -T "$t/list"`,
    ].join('\n');
  }
  return [
    ...start,
    ...input.databases.map((d, i) => databaseStep(d as BackupDatabase, i)),
    `cd / || exit ${SCRIPT_EXIT.tempDir}`,
    'set --',
    `for p in ${words.length > 0 ? words.join(' ') : "''"}; do`,
    `  if [ -n "$p" ] && { [ -e "/$p" ] || [ -L "/$p" ]; }; then set -- "$@" "$p"; elif [ -n "$p" ]; then echo "${ABSENT_PREFIX}/$p" >&2; fi`,
    'done',
    // --hard-dereference: a hard link arrives as the file it names, so every path has its own content.
    `tar -c -f - --format=gnu --hard-dereference --anchored ${excludes.join(' ')} -C "$t" ${DB_MEMBER_DIR} -C / "$@"`,
  ].join('\n');
}
