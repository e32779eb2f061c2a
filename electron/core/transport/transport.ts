import type { Readable, Writable } from 'node:stream';

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

/**
 * Streaming exec: a command whose output is too large, or too long-running, for exec()'s strings (a tar of a
 * unit's tree, a file sent to the vehicle). A separate, optional capability: see hasStreamExec().
 */
export type StreamExecOptions = {
  /** Run through `sudo -n`, as exec() does; a sudo that wants a password rejects `done` with SUDO_PASSWORD_REQUIRED. */
  sudo?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Stops the command when the vehicle sends nothing for this long while the workstation is waiting for it. Time
   * during which the reader holds the stream back (backpressure) does not count.
   */
  idleTimeoutMs: number;
  /** 'pipe' keeps stdin open for the caller to write and end; 'none' (the default) ends it at once. */
  stdin?: 'pipe' | 'none' | undefined;
  /** How much of stderr is kept (64 KiB when absent); the rest is counted and dropped. */
  maxStderrBytes?: number | undefined;
};

export type StreamExecEnd = {
  exitCode: number | null;
  signal: string | null;
  stderr: string;
  durationMs: number;
};

export type StreamingExec = {
  /**
   * The command's stdout as bytes. Reading slower than the vehicle sends holds the vehicle back through the SSH
   * window, so memory stays flat. Destroyed with the error when the command fails, times out or is cancelled.
   */
  stdout: Readable;
  /** The command's stdin; with stdin 'none' it is already ended. */
  stdin: Writable;
  /**
   * Settles once the command has ended and stdout has been read to its end: the exit code (a non-zero exit is a
   * result, not an error). Rejects only for the transport, the idle limit, cancellation and sudo.
   */
  done: Promise<StreamExecEnd>;
  /** Stops the command (TERM through sshd, relayed by sudo); `done` rejects with CANCELLED. */
  cancel(reason?: string): void;
};

export type StreamChannel = {
  execStream(command: string, options: StreamExecOptions): StreamingExec;
};

/** True when the connection can stream (the SSH transport can; simple fakes need not). */
export function hasStreamExec<C extends CommandChannel>(connection: C): connection is C & StreamChannel {
  return typeof (connection as Partial<StreamChannel>).execStream === 'function';
}

/** A terminal of the given size (with a pseudo-terminal on the vehicle), or none: the shell reads its input as a script. */
export type ShellOptions = { pty: { cols: number; rows: number; term: string } | null };

export type ShellEnd = { exitCode: number | null; signal: string | null };

/** An interactive login shell on its own session channel. */
export type InteractiveShell = {
  /**
   * What the shell prints (with a pseudo-terminal stderr is part of it; without, stderr is merged in). Reading
   * slower than the vehicle sends holds the vehicle back through the SSH window.
   */
  output: Readable;
  /** Sends keystrokes or a script to the shell. */
  write(data: string | Buffer): void;
  /** No more input (a piped script is complete): the shell ends once it has run it. */
  endInput(): void;
  resize(cols: number, rows: number): void;
  /** Settles when the channel closed: how the shell ended (null code: it was cut off, not exited). */
  done: Promise<ShellEnd>;
  /** Hangs up (SIGHUP to the shell, as closing a terminal does) and closes the channel. */
  close(): void;
};

export type ShellChannel = {
  openShell(options: ShellOptions): Promise<InteractiveShell>;
};

/** True when the connection can open interactive shells (the SSH transport can). */
export function hasShell<C extends CommandChannel>(connection: C): connection is C & ShellChannel {
  return typeof (connection as Partial<ShellChannel>).openShell === 'function';
}

/** One entry as the vehicle's file system reports it (not following a symlink). */
export type RemoteStat = {
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits with setuid/setgid/sticky, e.g. 0o640. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
};

export type RemoteDirEntry = { name: string; stat: RemoteStat; owner: string; group: string };

/** Why a file operation over SFTP failed: the login user may not, the path is not there, or anything else. */
export class SftpError extends Error {
  constructor(
    readonly kind: 'denied' | 'missing' | 'failure',
    message: string,
  ) {
    super(message);
    this.name = 'SftpError';
  }
}

/** File access as the login user over the SFTP subsystem; what it may not do goes through `sudo -n` instead. */
export type SftpSession = {
  list(path: string): Promise<RemoteDirEntry[]>;
  lstat(path: string): Promise<RemoteStat>;
  /** At most `maxBytes` of the file. */
  read(path: string, maxBytes: number): Promise<Buffer>;
  /** Creates or truncates the file with this mode and writes all of `data`. */
  write(path: string, data: Buffer, mode: number): Promise<void>;
  /** Replaces `to` with `from` in one step (posix-rename where the server offers it). */
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  close(): void;
};

export type SftpChannel = { openSftp(): Promise<SftpSession> };

export function hasSftp<C extends CommandChannel>(connection: C): connection is C & SftpChannel {
  return typeof (connection as Partial<SftpChannel>).openSftp === 'function';
}

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

export { shellQuote } from './shell';
