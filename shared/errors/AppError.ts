/**
 * Errors that cross a boundary (IPC, HTTP, CLI output) are AppErrors: a stable code for programs,
 * a message for people and JSON-safe details. Stack traces never cross.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONNECT_FAILED',
  'TRANSPORT_TIMEOUT',
  'TRANSPORT_CLOSED',
  'AUTH_FAILED',
  'KEY_FILE',
  'SECRET_MISSING',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_MISMATCH',
  'SUDO_PASSWORD_REQUIRED',
  'COMMAND_FAILED',
  'PRECONDITION_FAILED',
  'SERIAL_PORT_NOT_FOUND',
  'SERIAL_PORT_BUSY',
  'SERIAL_PORT_CLOSED',
  'MODBUS_TIMEOUT',
  'MODBUS_CRC',
  'MODBUS_EXCEPTION',
  'MODBUS_WRONG_SLAVE',
  'MODBUS_BAD_FRAME',
  'CONFIRMATION_REQUIRED',
  'CONFLICT',
  'BACKUP_DAMAGED',
  'PASSPHRASE_MISSING',
  'PASSPHRASE_WRONG',
  'DISK_FULL',
  'UNSAFE_PATH',
  'PROCEDURE_INVALID',
  'AUDIT_BROKEN',
  'AUDIT_KEY_MISSING',
  'CANCELLED',
  'UNAUTHORIZED',
  'FORBIDDEN_ORIGIN',
  'DB',
  'DB_MIGRATION',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type SerializedAppError = {
  code: ErrorCode;
  message: string;
  details?: Record<string, JsonValue>;
  retryable?: boolean;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, JsonValue> | undefined;
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, JsonValue>; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
  }

  toJSON(): SerializedAppError {
    return serializeError(this);
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turns anything thrown into the wire shape; unknown errors become INTERNAL without their stack. */
export function serializeError(error: unknown): SerializedAppError {
  if (error instanceof AppError) {
    const out: SerializedAppError = { code: error.code, message: error.message };
    if (error.details !== undefined) {
      out.details = error.details;
    }
    if (error.retryable) {
      out.retryable = true;
    }
    return out;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: message || 'Unexpected error' };
}

export function deserializeError(value: SerializedAppError): AppError {
  const options: { details?: Record<string, JsonValue>; retryable?: boolean } = {};
  if (value.details !== undefined) {
    options.details = value.details;
  }
  if (value.retryable !== undefined) {
    options.retryable = value.retryable;
  }
  return new AppError(isErrorCode(value.code) ? value.code : 'INTERNAL', value.message, options);
}

/** Thrown for an invariant the code itself broke; never for bad input. */
export class BugError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BugError';
  }
}
