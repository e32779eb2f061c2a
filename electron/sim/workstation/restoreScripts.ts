import { APPLY_PRELUDE } from '../../core/backup/restore/applyScript';
import { listingScript } from '../../core/backup/restore/remoteTree';
import { removeTree, SIM_GROUPS, SIM_USERS, nodeAt } from '../simTree';
import { exists, expandGlob, q, shellWords, type Runner } from './scriptRunner';

/**
 * The restore's scripts (restore/remoteTree.ts, services.ts, remoteApply.ts, applyScript.ts), recognised only in the
 * exact form the workstation writes them, and carried out with the vehicle's programs: find and sha256sum for the
 * listing, systemctl for the services, mktemp and cat for the staging, and for the apply script tar, mv, ln,
 * chown -h, rm, mkdir with set -e and its cleanup, line by line.
 */

const STAGE = 'd=$(mktemp -d /tmp/ohtw-restore.XXXXXX) && cat > "$d/apply.sh" && printf %s "$d"';
const RUN_STAGED = /^sh (\/tmp\/ohtw-restore\.[A-Za-z0-9]+)\/apply\.sh; status=\$\?; rm -rf -- \1; exit "\$status"$/;
const ACTIVE = /^printf '%s\\t%s\\n' (\S+) "\$\(systemctl is-active -- (\S+)\)"$/;
const ROOT_LOOP = /^for r in (.+?); do if \[ -e "\$r" \] \|\| \[ -L "\$r" \]; then (.+); fi; done$/;

/** The roots and excludes a restore listing script was built from; null when it is not one. */
function parseListing(script: string): { roots: string[]; excludes: string[] } | null {
  if (!script.startsWith('set -u\nexport LC_ALL=C\n')) {
    return null;
  }
  const lines = script.split('\n').filter((line) => ROOT_LOOP.test(line));
  const half = lines.slice(0, lines.length / 2);
  const roots = half.map((line) => shellWords(ROOT_LOOP.exec(line)?.[1] ?? '').join(''));
  const excludes = [
    ...new Set(half.flatMap((line) => [...line.matchAll(/-path (\S+)/g)].map((m) => shellWords(m[1] ?? '').join('')))),
  ];
  return { roots, excludes };
}

function runListing(r: Runner, script: string): number {
  const loops = script.split('\n').filter((line) => ROOT_LOOP.test(line));
  const each = (line: string, body: (command: string) => void): void => {
    const match = ROOT_LOOP.exec(line);
    for (const path of expandGlob(r.vehicle, shellWords(match?.[1] ?? '').join(''))) {
      if (exists(r.vehicle, path)) {
        body((match?.[2] ?? '').replaceAll('"$r"', q(path)));
      }
    }
  };
  for (const line of loops.slice(0, loops.length / 2)) {
    each(line, (command) => r.run(command));
  }
  r.run("printf 'ohtw-hashes\\0'");
  for (const line of loops.slice(loops.length / 2)) {
    // `find … -print0 | xargs -0 -r sha256sum -z --`: the list first, then one sha256sum over it.
    each(line, (command) => {
      const files = r
        .capture(command.replace(/ \| xargs -0 -r sha256sum -z --$/, ''))
        .out.split('\0')
        .filter((p) => p !== '');
      if (files.length > 0) {
        r.run(`sha256sum -z -- ${files.map(q).join(' ')}`);
      }
    });
  }
  return 0;
}

/** `printf '%s\t%s\n' NAME "$(systemctl is-active -- NAME)"`, one line per service. */
function runActiveStates(r: Runner, script: string): number | null {
  const lines = script.split('\n');
  if (lines.length === 0 || !lines.every((line) => ACTIVE.test(line))) {
    return null;
  }
  for (const line of lines) {
    const [, name, unit] = ACTIVE.exec(line) ?? [];
    const state = r.capture(`systemctl is-active -- ${unit ?? ''}`).out.trim();
    r.run(`printf '%s\\t%s\\n' ${name ?? ''} ${q(state)}`);
  }
  return 0;
}

/** The value `user_of NAME ID:$(group_of NAME ID)` gives: the name where the vehicle has the account, else the id. */
function ownerValue(line: string): [string, string] | null {
  const m = /^(own\d+)="\$\(user_of (\S+) (\d+)\):\$\(group_of (\S+) (\d+)\)"$/.exec(line);
  if (m === null) {
    return null;
  }
  const [, name, user, uid, group, gid] = m as unknown as [string, string, string, string, string, string];
  const u = shellWords(user)[0] ?? '';
  const g = shellWords(group)[0] ?? '';
  return [
    name,
    `${u !== '' && SIM_USERS[u] !== undefined ? u : uid}:${g !== '' && SIM_GROUPS[g] !== undefined ? g : gid}`,
  ];
}

/** One body line of an apply script: its exit status, or null when the line is not one the workstation writes. */
function applyLine(r: Runner, line: string, vars: Map<string, string>, die: (why: string) => number): number | null {
  const plain = /^plain (\S+)$/.exec(line);
  if (plain !== null) {
    const dir = shellWords(plain[1] ?? '')[0] ?? '';
    const node = nodeAt(r.vehicle, dir);
    return node?.type === 'dir'
      ? 0
      : die(`${dir} is not a plain directory (a symlink or missing): nothing is written through it`);
  }
  const arrived = /^\[ -f (\S+) \] && \[ ! -L \1 \] \|\| die (.+)$/.exec(line);
  if (arrived !== null) {
    return nodeAt(r.vehicle, shellWords(arrived[1] ?? '')[0] ?? '')?.type === 'file'
      ? 0
      : die(shellWords(arrived[2] ?? '').join(''));
  }
  const setmode = /^setmode ([0-7]{4}) (\S+)$/.exec(line);
  if (setmode !== null) {
    // perl's sysopen with O_NOFOLLOW: a symlink in the folder's place is refused, never followed.
    const path = shellWords(setmode[2] ?? '')[0] ?? '';
    return nodeAt(r.vehicle, path)?.type === 'symlink'
      ? die(`the mode of ${path} was not set: it is not a plain directory now`)
      : r.run(`chmod ${setmode[1] ?? ''} ${q(path)}`);
  }
  const simple =
    /^(rmdir --|rm -f --|mkdir -m 700 --|mv -f -T --|ln -s --|chown -h --|printf '%s\\n'|tar -x -f - -C \/|cat > \/dev\/null$|sync$|printf "ohtw-apply: done\\n"$)/;
  if (!simple.test(line)) {
    return null;
  }
  const expanded = line
    .replaceAll('"$staging/temps"', q(`${vars.get('staging') ?? ''}/temps`))
    .replace(/"\$(own\d+)"/g, (_all, name: string) => q(vars.get(name) ?? ''));
  return r.run(expanded);
}

/** An apply script staged in `staging`, run as set -e with its cleanup of temporary files on failure. */
function runApply(r: Runner, script: string, staging: string): number | null {
  const prelude = `${APPLY_PRELUDE.join('\n')}\n`;
  if (!script.startsWith(prelude)) {
    return null;
  }
  const vars = new Map<string, string>([['staging', staging]]);
  r.vehicle.state.files[`${staging}/temps`] = '';
  let status = 0;
  const die = (why: string): number => {
    r.err(`ohtw-apply: ${why}\n`);
    return 1;
  };
  for (const line of script
    .slice(prelude.length)
    .split('\n')
    .filter((l) => l !== '')) {
    const owner = ownerValue(line);
    if (owner !== null) {
      vars.set(owner[0], owner[1]);
      continue;
    }
    const result = applyLine(r, line, vars, die);
    if (result === null) {
      r.err(`sh: simulator: a line of the apply script it does not know: ${line.slice(0, 80)}\n`);
      status = 2;
      break;
    }
    if (result !== 0) {
      status = result;
      break;
    }
  }
  if (status !== 0) {
    for (const temp of (r.vehicle.state.files[`${staging}/temps`] ?? '').split('\n').filter((t) => t !== '')) {
      removeTree(r.vehicle, temp);
    }
  }
  return status;
}

/** A restore script of the workstation, carried out; null when the script is none of them. */
export function answerRestoreScripts(script: string, r: Runner): number | null {
  if (script === STAGE) {
    const dir = r.capture('mktemp -d /tmp/ohtw-restore.XXXXXX').out.trim();
    const status = r.run(`cat > ${q(`${dir}/apply.sh`)}`);
    r.out(dir);
    return status;
  }
  const staged = RUN_STAGED.exec(script);
  if (staged?.[1] !== undefined) {
    const staging = staged[1];
    const text = r.vehicle.state.files[`${staging}/apply.sh`];
    const status = text === undefined ? 2 : runApply(r, text, staging);
    r.run(`rm -rf -- ${q(staging)}`);
    return status ?? 2;
  }
  const listing = parseListing(script);
  if (listing !== null) {
    const rebuilt = listingScript({ roots: listing.roots, excludes: listing.excludes, services: [], reloadPaths: [] });
    return rebuilt === script ? runListing(r, script) : null;
  }
  return runActiveStates(r, script.replace(/\n$/, ''));
}
