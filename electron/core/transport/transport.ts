/** Capability interfaces: services depend on these, never on ssh2 or serialport types. */

export type ExecOptions = {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Run through `sudo -n`; a sudo that wants a password fails with SUDO_PASSWORD_REQUIRED. */
  sudo?: boolean | undefined;
  stdin?: string | Buffer | undefined;
};

export type ExecResult = {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
};

export type CommandChannel = {
  exec(command: string, options: ExecOptions): Promise<ExecResult>;
};

export type Connection = CommandChannel & {
  readonly description: string;
  close(): Promise<void>;
};

/** What a host presents during the handshake. */
export type PresentedHostKey = {
  algorithm: string;
  /** "SHA256:" + unpadded base64 of the SHA-256 of the key blob, as `ssh-keygen -l` prints it. */
  fingerprint: string;
};

/** accept: matches the pin; unknown: nothing pinned; mismatch: a different key is pinned (a hard stop). */
export type HostKeyVerdict = { kind: 'accept' } | { kind: 'unknown' } | { kind: 'mismatch'; pinnedFingerprint: string };

/** Decides, during the handshake and before any credential is sent, whether the host may be talked to. */
export type HostKeyVerifier = (key: PresentedHostKey) => HostKeyVerdict;

/** Quotes one argument for a POSIX shell: parameters never reach a command as pasted text. */
export function shellQuote(arg: string): string {
  if (arg === '') {
    return "''";
  }
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) {
    return arg;
  }
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
