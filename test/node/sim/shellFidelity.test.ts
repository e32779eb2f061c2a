import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { answerCommand } from '../../../electron/sim/commands';
import { SimVehicle } from '../../../electron/sim/SimVehicle';

/**
 * The simulator's shell is checked against the real thing: each script runs under this machine's /bin/sh and
 * under the simulator, and stdout, stderr and the exit status must match exactly. The vehicles' /bin/sh is
 * dash, so the comparison only runs where /bin/sh is dash too.
 */
const shIsDash = realpathSync('/bin/sh').endsWith('dash');

function realSh(script: string): { stdout: string; stderr: string; exitCode: number } {
  const r = spawnSync('sh', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/opt/oht50', LANG: 'C' },
  });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 };
}

const SCRIPTS = [
  'echo hello',
  "echo 'quoted' && echo two",
  'echo out; exit 3',
  'printf no-newline',
  "printf '%s-%s\\n' a b c",
  "printf '%d|%5s|%-3s|%05d|%x|%o|%c|%+d\\n' 42 ab c 7 255 8 word 5",
  "printf '%5.2f|%e|%%\\n' 3.14159 1.5",
  "printf '%b' 'a\\tb\\cignored'",
  "printf '%d\\n' abc",
  "printf '%d\\n' 12abc",
  "printf 'a\\101\\n'",
  "echo -n a; echo 'x\\ty' '\\101' 'tail\\'",
  'echo "a\\cb"; echo c',
  'echo -n -n x; echo -e y',
  'false || echo fallback; true && echo yes; false && echo no; echo $?',
  'nosuch',
  'echo a\nnosuch arg',
  'nosuch 2>/dev/null; echo rc=$?',
  'nosuch 2>&1',
  'echo to-err >&2; echo to-out',
  'echo to-null >/dev/null; echo 1>&2 moved',
  'X="p  q"; echo $X "$X" ${X}',
  'echo "$UNSET" $UNSET end',
  "echo 'unterminated",
  'echo a; echo "b',
  'echo a\necho "b',
  '; echo',
  'echo a &&',
  'echo a &&\necho b',
  'exit 300',
  'exit abc',
  'false; exit',
  'echo a # comment',
  'echo a#b \\"q\\" \\$x',
  'echo a\\\nb',
  ':',
  'command -v echo; command -v timeout; command -v nosuch; echo $?',
  "sh -c 'echo inner; exit 4'; echo $?",
  'sh -c nosuch',
  'exec 2>&1; nosuch; echo after',
  'timeout 5 sh -c "echo in-timeout; exit 7"; echo $?',
  'echo a & wait $!; echo rc=$?',
  'sh -c "exit 3" & p=$!; wait "$p"; echo $?',
  'timeout 5 sh -c "echo job; exit 4" 2>&1 & p0=$!\nwait "$p0"; s=$?; echo "status $s"',
  'wait 99999; echo $?',
  'X=1 & wait; echo "[$X]"',
  'exit 5 & wait $!; echo $?',
  'false & wait; echo $?',
];

describe('the simulator shell matches dash', () => {
  it.runIf(shIsDash).each(SCRIPTS)('%j', (script) => {
    const sim = answerCommand(new SimVehicle({ name: 'sim-01' }), script, { name: 'oht' });
    expect(sim).toEqual(realSh(script));
  });
});
