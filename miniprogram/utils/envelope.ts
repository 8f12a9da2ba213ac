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
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { success?: unknown }).success === 'boolean'
  );
}

export function adaptEnvelope(
  response: TransportResponse,
  authCodes: readonly string[] = DEFAULT_AUTH_CODES,
): unknown {
  const { status, data } = response;
  if (status === 304) return NOT_MODIFIED;
  let body = data;
  let unreadable: unknown;
  if (typeof data === 'string') {
    try {
      body = data.trim() === '' ? undefined : JSON.parse(data);
    } catch (cause) {
      unreadable = cause;
    }
  }
  const envelope = isEnvelope(body) ? body : undefined;
  const ok = status >= 200 && status < 300;
  if (ok && envelope && envelope.success) return envelope.data;
  const {
    errorCode: code,
    errorMessage,
    showType,
  } = envelope || ({} as Partial<Envelope<unknown>>);
  const auth = (!ok && status === 401) || (code !== undefined && authCodes.includes(code));
  let kind: AppErrorKind = 'parse';
  let message = unreadable ? 'reply is not JSON' : 'reply is not an envelope';
  if (!ok) {
    kind = 'http';
    message = `HTTP ${status}`;
  } else if (envelope) {
    kind = 'business';
    message = code || 'business error';
  }
  throw new AppError({
    kind: auth ? 'auth' : kind,
    status,
    message,
    code,
    serverMessage: errorMessage,
    showType,
    // http: the raw reply; business: the envelope; parse: why it could not be read.
    cause: ok ? envelope || unreadable || data : data,
  });
}
