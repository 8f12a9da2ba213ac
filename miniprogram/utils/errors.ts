/**
 * The one error type the network layer rejects with. Pages never see raw `wx` failures.
 * The UI policy (toast, modal, retry modal, error page) lives in error-handler.ts, not here.
 */
import type { ShowType } from '../../typings/api';

export type AppErrorKind =
  'network' | 'timeout' | 'offline' | 'http' | 'business' | 'auth' | 'cancelled' | 'parse';

export interface AppErrorInit {
  kind: AppErrorKind;
  message?: string;
  /** HTTP status, when there was a reply. */
  status?: number;
  /** Envelope `errorCode` for business errors. */
  code?: string;
  /** Envelope `errorMessage` (already meant for users). */
  serverMessage?: string;
  showType?: ShowType;
  requestId?: string;
  traceId?: string;
  /** The raw cause: a wx fail result, a reply, an exception. */
  cause?: unknown;
}

/**
 * `cause` is merged in here rather than declared as a field: ES2022's Error already has it (a
 * field would need `override` there) while ES2020's does not (where `override` is an error).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- cause only, see above
export interface AppError {
  readonly cause?: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class AppError extends Error {
  // Declared only: the constructor copies them from the init object.
  declare readonly kind: AppErrorKind;
  declare readonly status?: number;
  declare readonly code?: string;
  declare readonly serverMessage?: string;
  declare readonly showType?: ShowType;
  declare requestId?: string;
  declare traceId?: string;
  /** The text shown to the user (i18n), filled in by the request stack (error-handler.ts). */
  declare userMessage?: string;

  constructor({ message, ...fields }: AppErrorInit) {
    super(message || fields.serverMessage || fields.kind);
    this.name = 'AppError';
    // kind, status, code, serverMessage, showType, requestId, traceId and cause, as given.
    Object.assign(this, fields);
  }
}

/** The rejection of work the device cannot do while offline. */
export function offlineError(cause?: unknown): AppError {
  return new AppError({ kind: 'offline', cause });
}

/** The rejection of anything stopped by its CancelSignal. */
export function cancelledError(reason: unknown): AppError {
  return new AppError({ kind: 'cancelled', cause: reason });
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export function isCancelled(value: unknown): boolean {
  return isAppError(value) && value.kind === 'cancelled';
}

/** Wraps anything thrown into an AppError of `kind` (AppErrors pass through unchanged). */
export function toAppError(value: unknown, kind: AppErrorKind = 'network'): AppError {
  if (isAppError(value)) return value;
  // wx fail results are plain objects: their errMsg, not "[object Object]".
  const errMsg = value && (value as { errMsg?: unknown }).errMsg;
  const message =
    value instanceof Error ? value.message : String(errMsg === undefined ? value : errMsg);
  return new AppError({ kind, message, cause: value });
}
