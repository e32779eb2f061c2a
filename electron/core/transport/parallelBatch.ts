import { batchMarkers, checkNonce, parseSerialBatchScript, probeBody, probeSeconds, type Probe } from './batch';

/**
 * The batch of probes as one script whose probes run at the same time on the vehicle: each in the background,
 * under its own `timeout` as in the serial script, writing to its own temporary file; the files are then printed
 * in the given order, framed by the same marker lines, so that the serial script's reader reads this one too.
 *
 *   exec 2>&1 </dev/null
 *   umask 077
 *   command -v timeout >/dev/null 2>&1 || exit 96
 *   f=/dev/shm/ohtw.<nonce>
 *   true >"$f.0" || f=/tmp/ohtw.<nonce>
 *   true >"$f.0" || exit 95
 *   timeout 5 sh -c '<probe 0>' >"$f.0" 2>&1 & p0=$!
 *   …
 *   wait "$p0"; s=$?; printf '\n@@ohtw:<nonce>:begin:<key>\n'; cat "$f.0"; printf '\n@@ohtw:<nonce>:end:<key>:%s\n' "$s"; rm -f "$f.0"
 *   …
 *
 * Probes that measure the vehicle (`needsQuiet`: a CPU sample, response times) start only once the others are
 * printed, so the others' work does not show in their readings. The files live in /dev/shm (memory, so a full
 * disk cannot cut an answer short) or /tmp, private to the login user. A vehicle without `timeout` (exit 96) or
 * anywhere to write (exit 95) gets the serial script instead; see FALLBACK_EXIT_CODES.
 */

/** The script's own exits before any probe ran: the caller sends the serial script instead. */
export const FALLBACK_EXIT_CODES: readonly number[] = [95, 96];

/** Seconds the whole script may take on the vehicle: the slowest probe of each phase, the phases in turn. */
export function parallelBudgetS(probes: readonly Probe[]): number {
  const slowest = (list: readonly Probe[]): number => Math.max(0, ...list.map(probeSeconds));
  const [busy, quiet] = phases(probes);
  return slowest(busy) + slowest(quiet);
}

function phases(probes: readonly Probe[]): [Probe[], Probe[]] {
  return [probes.filter((p) => p.needsQuiet !== true), probes.filter((p) => p.needsQuiet === true)];
}

export function buildParallelBatchScript(probes: readonly Probe[], nonce: string): string {
  checkNonce(nonce);
  const lines = [
    'exec 2>&1 </dev/null',
    'umask 077',
    'command -v timeout >/dev/null 2>&1 || exit 96',
    `f=/dev/shm/ohtw.${nonce}`,
    `true >"$f.0" || f=/tmp/ohtw.${nonce}`,
    'true >"$f.0" || exit 95',
  ];
  let index = 0;
  for (const phase of phases(probes)) {
    const numbered = phase.map((probe) => ({ probe, i: index++ }));
    for (const { probe, i } of numbered) {
      lines.push(`timeout ${probeSeconds(probe)} sh -c '${probeBody(probe)}' >"$f.${i}" 2>&1 & p${i}=$!`);
    }
    for (const { probe, i } of numbered) {
      const markers = batchMarkers(nonce, probe.key);
      // The file goes after the end marker: where the vehicle lacks rm, its complaint stays outside the frames.
      lines.push(
        `wait "$p${i}"; s=$?; printf '${markers.begin}'; cat "$f.${i}"; printf '${markers.end}' "$s"; rm -f "$f.${i}"`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Recovers the probes of a script that buildParallelBatchScript wrote (for test doubles of a vehicle). */
export function parseParallelBatchScript(script: string): { nonce: string; probes: Probe[] } | null {
  const nonce = /^f=\/dev\/shm\/ohtw\.([a-f0-9]{16})$/m.exec(script)?.[1];
  if (nonce === undefined) {
    return null;
  }
  const launched = new Map<string, Omit<Probe, 'key'>>();
  const launch = /^timeout (\d+) sh -c '((?:[^']|'\\'')*)' >"\$f\.(\d+)" 2>&1 & p\d+=\$!$/gm;
  for (const [, seconds, body, index] of script.matchAll(launch)) {
    launched.set(index ?? '', { command: (body ?? '').replace(/'\\''/g, "'"), timeoutS: Number(seconds) });
  }
  const probes: Probe[] = [];
  const collect = new RegExp(
    `^wait "\\$p(\\d+)"; s=\\$\\?; printf '\\\\n@@ohtw:${nonce}:begin:([A-Za-z0-9._:/-]+)`,
    'gm',
  );
  for (const [, index, key] of script.matchAll(collect)) {
    const probe = launched.get(index ?? '');
    if (probe !== undefined && key !== undefined) {
      probes.push({ key, ...probe });
    }
  }
  return { nonce, probes };
}

/** The probes of a batch script of either form (for test doubles of a vehicle); null for any other script. */
export function parseBatchScript(script: string): { nonce: string; probes: Probe[] } | null {
  return parseParallelBatchScript(script) ?? parseSerialBatchScript(script);
}
