import { AppError } from '../../../../shared/errors/AppError';
import { commandLabel, errorMessage } from './oneLine';

export function execTimeout(label: string, command: string, timeoutMs: number): AppError {
  return new AppError(
    'TRANSPORT_TIMEOUT',
    `${label}: ${commandLabel(command)} did not finish within ${timeoutMs / 1000} s and was stopped`,
    { details: { timeoutMs } },
  );
}

export function execCancelled(label: string, command: string): AppError {
  return new AppError('CANCELLED', `${label}: ${commandLabel(command)} was cancelled`);
}

/** The connection dropped (network, vehicle reboot, sshd killed): worth reconnecting, though the command may have run. */
export function connectionLost(label: string, reason: string): AppError {
  return new AppError('TRANSPORT_CLOSED', `${label}: the SSH connection was lost (${reason})`, { retryable: true });
}

export function lostDuring(label: string, command: string, reason: string): AppError {
  return new AppError(
    'TRANSPORT_CLOSED',
    `${label}: the SSH connection was lost while ${commandLabel(command)} was running (${reason})`,
    { retryable: true },
  );
}

/** The workstation itself closed the connection; reconnecting is the caller's decision, not a retry. */
export function closedByWorkstation(label: string): AppError {
  return new AppError('TRANSPORT_CLOSED', `${label}: the SSH connection is closed`);
}

export function channelOpenFailed(label: string, command: string, error: unknown): AppError {
  return new AppError('COMMAND_FAILED', `${label}: could not start ${commandLabel(command)}: ${errorMessage(error)}`, {
    retryable: true,
    cause: error,
  });
}

export function sudoPasswordRequired(label: string, username: string): AppError {
  return new AppError(
    'SUDO_PASSWORD_REQUIRED',
    `${label}: sudo asks user '${username}' for a password; the workstation's root commands need passwordless sudo ` +
      `(NOPASSWD) for that user on the vehicle`,
    { details: { username } },
  );
}

export function execIdle(label: string, command: string, idleTimeoutMs: number): AppError {
  return new AppError(
    'TRANSPORT_TIMEOUT',
    `${label}: ${commandLabel(command)} moved no data for ${idleTimeoutMs / 1000} s and was stopped`,
    { details: { idleTimeoutMs }, retryable: true },
  );
}
