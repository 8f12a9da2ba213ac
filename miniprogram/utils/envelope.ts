/**
 * The envelope adaptor: `{ success, data, errorCode, errorMessage, showType, traceId }` →
 * the typed data, or one AppError (http, business, auth or parse).
 */
import type { Envelope } from '../../typings/api';
import { AppError, type AppErrorKind } from './errors';
import type { TransportResponse } from './transport';

export const DEFAULT_AUTH_CODES: readonly string[] = ['SESSION_EXPIRED', 'UNAUTHORIZED'];

/** What `adaptEnvelope` returns for a 304 (the caller keeps its cached data). */
export const NOT_MODIFIED: unique symbol = Symbol('not modified');

function isEnvelope(value: unknown): value is Envelope<unknown> {
  // Any value but null and undefined: a string or a number simply has no boolean `success`.
  return value != null && typeof (value as { success?: unknown }).success === 'boolean';
}

export function adaptEnvelope(
  response: TransportResponse,
  authCodes: readonly string[] = DEFAULT_AUTH_CODES,
): unknown {
  const { status, data } = response;
  if (status === 304) return NOT_MODIFIED;
  let body = data;
  if (typeof data === 'string') {
    try {
      body = JSON.parse(data);
    } catch {
      // Not JSON (an empty body, an HTML error page): the text itself is the cause below.
    }
  }
  const envelope = isEnvelope(body) ? body : undefined;
  const ok = status >= 200 && status < 300;
  if (ok && envelope && envelope.success) return envelope.data;
  const { errorCode: code, errorMessage, showType }: Partial<Envelope<unknown>> = envelope || {};
  const kind: AppErrorKind = !ok ? 'http' : envelope ? 'business' : 'parse';
  throw new AppError({
    // An authCodes list holds strings only, so a missing code is never one of them.
    kind: status === 401 || authCodes.includes(code as string) ? 'auth' : kind,
    status,
    message:
      kind === 'http'
        ? `HTTP ${status}`
        : kind === 'business'
          ? code || 'business error'
          : 'reply is not an envelope',
    code,
    serverMessage: errorMessage,
    showType,
    // The reply as read: the envelope, other JSON, or the text that was not JSON.
    cause: body,
  });
}
