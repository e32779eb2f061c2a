import { accessSync, constants } from 'node:fs';

const TOOLS = [
  '/usr/sbin/sshd',
  '/usr/bin/ssh-keygen',
  '/usr/bin/openssl',
  '/usr/bin/sudo',
  '/usr/sbin/visudo',
  '/usr/sbin/useradd',
  '/usr/sbin/usermod',
  '/usr/bin/flock',
];

/** The SSH tests need a real sshd and real accounts; say exactly what is missing instead of skipping. */
export function assertSshdRequirements(): void {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) {
    missing.push('root privileges (the harness creates users and runs sshd; run the tests as root)');
  }
  for (const tool of TOOLS) {
    try {
      accessSync(tool, constants.X_OK);
    } catch {
      missing.push(`${tool} (apt-get install openssh-server sudo util-linux openssl)`);
    }
  }
  if (missing.length > 0) {
    throw new Error(`The sshd test harness cannot run. Missing: ${missing.join('; ')}`);
  }
}
