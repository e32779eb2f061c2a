import { buildBatchScript, parseSerialBatchScript } from '../core/transport/batch';
import type { FdTable } from './shell/io';
import type { ScriptHandle } from './shell/run';

/**
 * Answers a batch script (transport/batch.ts) the way a vehicle's sh runs it: `exec 2>&1` merges stderr into
 * stdout, then each probe is framed by its begin and end markers, the end marker carrying the probe's exit
 * status. Only scripts that buildBatchScript would write byte for byte are recognised; anything else is
 * interpreted as an ordinary script.
 */
export function answerBatch(script: string, shell: ScriptHandle): number | null {
  if (!script.startsWith('exec 2>&1')) {
    return null;
  }
  const batch = parseSerialBatchScript(script);
  if (!batch || batch.probes.length === 0 || buildBatchScript(batch.probes, batch.nonce) !== script) {
    return null;
  }
  const merged: FdTable = { 1: shell.fds[1], 2: shell.fds[1] };
  for (const probe of batch.probes) {
    shell.write(merged, 1, `\n@@ohtw:${batch.nonce}:begin:${probe.key}\n`);
    // `timeout N sh -c '...'`: the simulator never hangs, so the probe's status passes through unchanged.
    const status = shell.runScript(probe.command, merged);
    shell.write(merged, 1, `\n@@ohtw:${batch.nonce}:end:${probe.key}:${status}\n`);
  }
  // The script's last command is the final printf, which succeeds.
  return 0;
}
