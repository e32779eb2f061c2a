import type { SshdFixture } from './startSshd';

/**
 * The arguments that make OpenSSH's own `ssh` reach the test sshd as its sudo user with the test key, without
 * touching the caller's known_hosts or prompting: the baseline the benchmarks measure the workstation against.
 */
export function opensshClientArgs(sshd: Pick<SshdFixture, 'clientKeyPath' | 'port' | 'user'>): string[] {
  return [
    '-i',
    sshd.clientKeyPath,
    '-p',
    String(sshd.port),
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'LogLevel=ERROR',
    `${sshd.user}@127.0.0.1`,
  ];
}
