import type { Program } from '../shell/program';

/**
 * iptables (1.8.9, nf_tables) for the unauthorized-access procedure's block of an address: -A INPUT with -s, -p,
 * --dport and -j appended to the INPUT chain, -S / -L to read it back, root only as on the vehicle.
 */

const USAGE_HINT = "Try `iptables -h' or 'iptables --help' for more information.\n";
const TARGETS = new Set(['ACCEPT', 'DROP', 'REJECT']);

/** The rule as `iptables -S` prints it: -s gets its /32. */
function ruleSpec(args: readonly string[]): string | null {
  const parts: string[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const [option, value] = [args[i] ?? '', args[i + 1]];
    if (value === undefined || !['-s', '-p', '--dport', '-j'].includes(option)) {
      return null;
    }
    if (option === '-j' && !TARGETS.has(value)) {
      return null;
    }
    parts.push(option, option === '-s' && !value.includes('/') ? `${value}/32` : value);
  }
  return parts.includes('-j') ? parts.join(' ') : null;
}

export const iptables: Program = {
  path: '/usr/sbin/iptables',
  run(args, c) {
    if (c.user.uid !== 0) {
      c.io.err(
        'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n\n',
      );
      return 4;
    }
    const rules = c.vehicle.state.network.inputRules;
    const [command, chain, ...rest] = args;
    if ((command === '-S' || command === '-L') && (chain === undefined || chain === 'INPUT')) {
      c.io.out(['-P INPUT ACCEPT', ...rules.map((r) => `-A INPUT ${r}`)].join('\n') + '\n');
      return 0;
    }
    if (command !== '-A' || chain !== 'INPUT') {
      c.io.err(`iptables v1.8.9 (nf_tables): unknown option "${command ?? ''}"\n${USAGE_HINT}`);
      return 2;
    }
    const spec = ruleSpec(rest);
    if (spec === null) {
      c.io.err(`iptables v1.8.9 (nf_tables): bad rule "${rest.join(' ')}"\n${USAGE_HINT}`);
      return 2;
    }
    rules.push(spec);
    return 0;
  },
};
