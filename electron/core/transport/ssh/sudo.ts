import { shellQuote } from '../transport';

/** `-n` makes sudo fail at once instead of waiting for a password nobody will type. */
export function sudoCommand(command: string): string {
  return `sudo -n sh -c ${shellQuote(command)}`;
}

/**
 * What `sudo -n` prints (exit 1) when the account has no NOPASSWD rule; the tty variant comes from older sudo.
 * Anchored on sudo's own prefix so that a command that merely mentions passwords is not mistaken for it.
 */
export function sudoWantsPassword(exitCode: number | null, stderr: string): boolean {
  return exitCode === 1 && /^sudo: (a password is required|a terminal is required)/m.test(stderr);
}
