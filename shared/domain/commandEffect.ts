/**
 * Whether a command changes the vehicle is decided here, by the workstation, never by the file that holds the
 * command. A command reads only when its program (after `sudo`, which by itself changes nothing) is on a short list
 * of programs known to read, with arguments that keep them reading (`systemctl status`, not `systemctl stop`; `find`
 * without `-delete`; `curl` without a method or a body). Anything else, a shell or `env` wrapper included, changes
 * the vehicle: it gets the gates and the confirmation of an action, and a check may not run it.
 */

/**
 * opaque: the program runs whatever it is given (a shell, `env`, a program outside the system folders), so what it
 * changes cannot be known; such a command is guarded like the strongest action, with the vehicle stopped.
 */
export type CommandEffect = { mutating: false } | { mutating: true; opaque: boolean; reason: string };

/** Returns null when the arguments keep the program reading, else why they do not. */
type ArgumentRule = (args: readonly string[]) => string | null;

const READS: CommandEffect = { mutating: false };

/** Folders whose programs are the system's own; a program elsewhere may be anything. */
const SYSTEM_DIRS = ['/bin/', '/usr/bin/', '/sbin/', '/usr/sbin/'];

/** Programs that run another program or a script: what they run is not known from their name. */
const WRAPPERS = new Set([
  'sh',
  'bash',
  'dash',
  'zsh',
  'ash',
  'ksh',
  'busybox',
  'env',
  'nice',
  'nohup',
  'timeout',
  'xargs',
  'stdbuf',
  'ionice',
  'chroot',
  'su',
  'runuser',
  'doas',
  'watch',
  'script',
  'setsid',
  'flock',
  'python',
  'python3',
  'perl',
  'awk',
  'sudoedit',
]);

const anything: ArgumentRule = () => null;
const noOperands: (what: string) => ArgumentRule = (what) => (args) =>
  args.some((a) => !a.startsWith('-')) ? `${what} with an operand changes the system` : null;

/** Options (exact, or `--name=…`) that make a program write or run something. */
function refuse(program: string, denied: readonly string[], shortDenied = ''): ArgumentRule {
  return (args) => {
    for (const arg of args) {
      if (arg === '--') {
        return null;
      }
      const name = arg.startsWith('--') ? (arg.split('=')[0] ?? arg) : arg;
      if (denied.includes(name)) {
        return `${program} ${name} changes the system`;
      }
      if (shortDenied !== '' && /^-[A-Za-z]/.test(arg) && !arg.startsWith('--')) {
        const hit = [...arg.slice(1)].find((c) => shortDenied.includes(c));
        if (hit !== undefined) {
          return `${program} -${hit} changes the system`;
        }
      }
    }
    return null;
  };
}

const SYSTEMCTL_READ_VERBS = new Set([
  'status',
  'show',
  'is-active',
  'is-failed',
  'is-enabled',
  'is-system-running',
  'list-units',
  'list-unit-files',
  'list-timers',
  'list-sockets',
  'list-dependencies',
  'list-jobs',
  'cat',
  'get-default',
  'show-environment',
]);
const SYSTEMCTL_VALUE_OPTIONS = new Set([
  '-p',
  '--property',
  '-t',
  '--type',
  '-n',
  '--lines',
  '-o',
  '--output',
  '--state',
  '-H',
  '--host',
  '-M',
  '--machine',
  '--what',
  '--timestamp',
]);

const systemctl: ArgumentRule = (args) => {
  const verb = firstOperand(args, SYSTEMCTL_VALUE_OPTIONS);
  if (verb === undefined) {
    return null; // Bare systemctl lists the units.
  }
  return SYSTEMCTL_READ_VERBS.has(verb) ? null : `systemctl ${verb} changes the system`;
};

const journalctl = refuse('journalctl', [
  '--rotate',
  '--vacuum-size',
  '--vacuum-time',
  '--vacuum-files',
  '--flush',
  '--sync',
  '--relinquish-var',
  '--smart-relinquish-var',
  '--setup-keys',
  '--update-catalog',
  '--cursor-file',
]);

/** curl reads when it only asks: no method but GET or HEAD, no body or upload, no file written. */
const curl: ArgumentRule = (args) => {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    const [name, attached] = arg.startsWith('--') ? [arg.split('=')[0] ?? arg, arg.split('=')[1]] : [arg, undefined];
    if (name === '-X' || name === '--request' || /^-X./.test(arg)) {
      const method = (attached ?? (/^-X./.test(arg) ? arg.slice(2) : next) ?? '').toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') {
        return `curl ${method || 'with a method'} sends a request that may change the vehicle`;
      }
      continue;
    }
    if (name === '-o' || name === '--output') {
      if ((attached ?? next) !== '/dev/null') {
        return 'curl -o writes a file on the vehicle';
      }
      continue;
    }
    if (/^--(data|form|upload-file|json|remote-name|config|cookie-jar|dump-header|trace|stderr|libcurl)/.test(name)) {
      return `curl ${name} sends a body or writes a file`;
    }
    if (/^-[A-Za-z]+$/.test(arg)) {
      const hit = [...arg.slice(1)].find((c) => 'dFTOKcD'.includes(c));
      if (hit !== undefined) {
        return `curl -${hit} sends a body or writes a file`;
      }
    }
  }
  return null;
};

const find = refuse('find', [
  '-delete',
  '-exec',
  '-execdir',
  '-ok',
  '-okdir',
  '-fprint',
  '-fprint0',
  '-fprintf',
  '-fls',
]);

/** sqlite3 reads only with a quick or integrity check, and without dot commands (`.shell` runs anything). */
const sqlite3: ArgumentRule = (args) => {
  const readOptions = ['-readonly', '-batch', '-bail', '-header', '-noheader', '-line', '-list', '-csv', '-json'];
  const operands: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('-')) {
      if (!readOptions.includes(arg)) {
        return `sqlite3 ${arg} is not known to only read`;
      }
    } else {
      operands.push(arg);
    }
  }
  const statements = operands.slice(1);
  const check = /^\s*PRAGMA\s+(quick_check|integrity_check)(\s*\(\s*\d+\s*\))?\s*;?\s*$/i;
  const other = statements.find((sql) => !check.test(sql));
  return other === undefined ? null : 'sqlite3 runs SQL other than a quick or integrity check';
};

const IP_VALUE_OPTIONS = new Set(['-n', '-netns', '-f', '-family', '-l', '-loops', '-rc', '-rcvbuf']);
const ip: ArgumentRule = (args) => {
  if (args.some((a) => a === '-b' || a === '-batch' || a === '-force')) {
    return 'ip -batch runs commands from a file';
  }
  const operands = operandsOf(args, IP_VALUE_OPTIONS);
  const verb = operands[1];
  return verb === undefined || ['show', 'list', 'ls', 'lst', 'sh', 's', 'get'].includes(verb)
    ? null
    : `ip ${operands[0] ?? ''} ${verb} changes the network`;
};

const date: ArgumentRule = (args) =>
  args.some((a) => a === '-s' || a.startsWith('--set') || (!a.startsWith('-') && !a.startsWith('+')))
    ? 'date with a time sets the clock'
    : null;

const sysctl: ArgumentRule = (args) =>
  args.some((a) => ['-w', '--write', '-p', '--load', '--system', '-f'].includes(a) || a.includes('='))
    ? 'sysctl with a value sets a kernel parameter'
    : null;

const iptables: ArgumentRule = (args) => {
  const lists = args.some((a) => ['-L', '--list', '-S', '--list-rules'].includes(a));
  const changes = args.some((a) =>
    /^(-[AIDRFZNXPE]|--(append|insert|delete|replace|flush|zero|new|policy|rename))/.test(a),
  );
  return lists && !changes ? null : 'iptables without -L changes the firewall';
};

const apt: ArgumentRule = (args) => {
  const sub = args.find((a) => !a.startsWith('-'));
  return sub !== undefined && ['list', 'show', 'policy', 'search'].includes(sub)
    ? null
    : `apt ${sub ?? ''} changes packages`;
};

/** The programs known to read, and what keeps them reading. */
const READ_ONLY: Record<string, ArgumentRule> = {
  cat: anything,
  head: anything,
  tail: anything,
  wc: anything,
  stat: anything,
  ls: anything,
  readlink: anything,
  realpath: anything,
  md5sum: anything,
  sha1sum: anything,
  sha256sum: anything,
  du: anything,
  df: anything,
  grep: anything,
  egrep: anything,
  fgrep: anything,
  zgrep: anything,
  zcat: anything,
  id: anything,
  whoami: anything,
  uname: anything,
  uptime: anything,
  free: anything,
  ps: anything,
  top: anything,
  vmstat: anything,
  iostat: anything,
  mpstat: anything,
  lsblk: anything,
  lsusb: anything,
  lscpu: anything,
  lsof: anything,
  findmnt: anything,
  pgrep: anything,
  pidof: anything,
  netstat: anything,
  ping: anything,
  pg_isready: anything,
  getent: anything,
  nproc: anything,
  who: anything,
  w: anything,
  last: anything,
  echo: anything,
  printf: anything,
  true: anything,
  false: anything,
  test: anything,
  sleep: anything,
  sensors: anything,
  systemctl,
  journalctl,
  curl,
  find,
  sqlite3,
  ip,
  date,
  sysctl,
  iptables,
  apt,
  ss: refuse('ss', ['--kill'], 'K'),
  dmesg: refuse('dmesg', ['--clear', '--read-clear', '--console-off', '--console-on', '--console-level'], 'cCDEn'),
  hostname: (args) => refuse('hostname', ['--file', '--boot'], 'Fb')(args) ?? noOperands('hostname')(args),
  mount: noOperands('mount'),
};

/** Strips `sudo` and its options; null with the reason when sudo is asked to do more than run one program. */
function unwrapSudo(argv: readonly string[]): { argv: readonly string[] } | { reason: string } {
  let rest = argv;
  while (rest.length > 0 && programName(rest[0] ?? '') === 'sudo') {
    let i = 1;
    for (; i < rest.length; i += 1) {
      const arg = rest[i] ?? '';
      if (arg === '--') {
        i += 1;
        break;
      }
      if (!arg.startsWith('-')) {
        break;
      }
      if (arg === '-u' || arg === '-g') {
        i += 1;
      } else if (!['-n', '--non-interactive', '-E', '-H'].includes(arg)) {
        return { reason: `sudo ${arg} does more than run one program` };
      }
    }
    rest = rest.slice(i);
  }
  return { argv: rest };
}

/** A program's bare name when it is a system one; null for a path outside the system folders. */
function programName(program: string): string | null {
  if (!program.includes('/')) {
    return program;
  }
  const dir = SYSTEM_DIRS.find((d) => program.startsWith(d));
  const name = dir === undefined ? '' : program.slice(dir.length);
  return name !== '' && !name.includes('/') ? name : null;
}

/** What a program with its arguments does to the vehicle (values already in place: what will really be sent). */
export function commandEffect(program: string, args: readonly string[]): CommandEffect {
  const unwrapped = unwrapSudo([program, ...args]);
  if ('reason' in unwrapped) {
    return { mutating: true, opaque: true, reason: unwrapped.reason };
  }
  const [first, ...rest] = unwrapped.argv;
  if (first === undefined) {
    return { mutating: true, opaque: true, reason: 'sudo without a program' };
  }
  const name = programName(first);
  if (name === null) {
    return { mutating: true, opaque: true, reason: `${first} is not a system program: what it does is not known` };
  }
  if (WRAPPERS.has(name)) {
    return {
      mutating: true,
      opaque: true,
      reason: `${name} runs whatever it is given, so the workstation cannot tell what it changes`,
    };
  }
  const rule = READ_ONLY[name];
  if (rule === undefined) {
    return {
      mutating: true,
      opaque: false,
      reason: `${name} is not on the workstation's list of programs that only read`,
    };
  }
  const reason = rule(rest);
  return reason === null ? READS : { mutating: true, opaque: false, reason };
}

function operandsOf(args: readonly string[], valueOptions: ReadonlySet<string>): string[] {
  const operands: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('-')) {
      if (valueOptions.has(arg)) {
        i += 1;
      }
      continue;
    }
    operands.push(arg);
  }
  return operands;
}

function firstOperand(args: readonly string[], valueOptions: ReadonlySet<string>): string | undefined {
  return operandsOf(args, valueOptions)[0];
}
