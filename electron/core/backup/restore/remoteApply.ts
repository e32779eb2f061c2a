import { Readable } from 'node:stream';

import { AppError } from '../../../../shared/errors/AppError';
import { buildApplyScript } from './applyScript';
import type { ApplyPlan } from './plan';
import type { RemoteShell } from './remoteShell';
import type { RestoreScope } from './scope';
import { tarStream } from './tar';
import type { TreeEntry } from './tree';

/** Where a file's content comes from: the backup being restored, or the snapshot being rolled back to. */
export type ContentSource = (entry: TreeEntry) => Promise<Readable>;

const STAGING = /^\/tmp\/ohtw-restore\.[A-Za-z0-9]+$/;

/**
 * Applies a plan on the unit: the script goes to a private staging folder (root's, mode 0700), then runs as root
 * with the new files' content streamed to it as a tar archive; the staging folder is removed either way.
 */
export async function applyOnUnit(
  shell: RemoteShell,
  scope: RestoreScope,
  apply: ApplyPlan,
  transactionId: string,
  content: ContentSource,
  onFile?: (done: number, total: number) => void,
): Promise<void> {
  const script = buildApplyScript(scope, apply, transactionId);
  const staged = await shell.run('d=$(mktemp -d /tmp/ohtw-restore.XXXXXX) && cat > "$d/apply.sh" && printf %s "$d"', {
    sudo: true,
    timeoutMs: 60_000,
    stdin: script.text,
  });
  const dir = staged.stdout.toString('utf8').trim();
  if (staged.exitCode !== 0 || !STAGING.test(dir)) {
    throw new AppError(
      'COMMAND_FAILED',
      `could not stage the restore on the unit: ${staged.stderr.trim().slice(0, 300)}`,
    );
  }
  let done = 0;
  const members = script.files.map(({ entry, temp }) => ({
    name: temp.slice(1),
    size: entry.size,
    owner: { mode: entry.mode, uid: entry.uid, gid: entry.gid, uname: entry.owner, gname: entry.group },
    open: async () => {
      const stream = await content(entry);
      stream.once('end', () => {
        done += 1;
        onFile?.(done, script.files.length);
      });
      return stream;
    },
  }));
  const result = await shell.feed(
    `sh ${dir}/apply.sh; status=$?; rm -rf -- ${dir}; exit "$status"`,
    Readable.from(tarStream(members)),
    { sudo: true, idleTimeoutMs: 300_000 },
  );
  if (result.exitCode !== 0) {
    const why = result.stderr
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-3)
      .join('; ');
    throw new AppError('COMMAND_FAILED', `applying on the unit failed (exit ${String(result.exitCode)}): ${why}`, {
      details: { exitCode: result.exitCode, stderr: result.stderr.slice(-2000) },
    });
  }
}
