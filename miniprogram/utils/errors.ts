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
  readonly kind: AppErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly serverMessage?: string;
  readonly showType?: ShowType;
  requestId?: string;
  traceId?: string;
  /** The text shown to the user (i18n), filled in by the request stack (error-handler.ts). */
  userMessage?: string;

  constructor(init: AppErrorInit) {
    super(init.message ?? init.serverMessage ?? init.kind);
    this.name = 'AppError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.serverMessage = init.serverMessage;
    this.showType = init.showType;
    this.requestId = init.requestId;
    this.traceId = init.traceId;
    (this as { cause?: unknown }).cause = init.cause;
    // Keep instanceof working when compiled to ES5-style classes.
    Object.setPrototypeOf(this, AppError.prototype);
  }
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
  const message = value instanceof Error ? value.message : String(value);
  return new AppError({ kind, message, cause: value });
}
