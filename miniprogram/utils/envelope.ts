/**
 * The envelope adaptor: `{ success, data, errorCode, errorMessage, showType, traceId }` →
 * the typed data, or one AppError (http, business, auth or parse).
 */
import type { Envelope } from '../../typings/api';
import { AppError } from './errors';
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

function parseBody(data: unknown): { ok: true; value: unknown } | { ok: false; cause: unknown } {
  if (typeof data !== 'string') return { ok: true, value: data };
  if (data.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(data) };
  } catch (cause) {
    return { ok: false, cause };
  }
}

export function adaptEnvelope(
  response: TransportResponse,
  authCodes: readonly string[] = DEFAULT_AUTH_CODES,
): unknown {
  if (response.status === 304) return NOT_MODIFIED;
  const body = parseBody(response.data);
  const envelope = body.ok && isEnvelope(body.value) ? body.value : undefined;
  const fromEnvelope = envelope
    ? {
        code: envelope.errorCode,
        serverMessage: envelope.errorMessage,
        showType: envelope.showType,
      }
    : {};
  const ok = response.status >= 200 && response.status < 300;
  if (!ok) {
    const auth =
      response.status === 401 ||
      (envelope?.errorCode !== undefined && authCodes.includes(envelope.errorCode));
    return throwError(
      new AppError({
        kind: auth ? 'auth' : 'http',
        status: response.status,
        message: `HTTP ${response.status}`,
        ...fromEnvelope,
        cause: response.data,
      }),
    );
  }
  if (!envelope) {
    return throwError(
      new AppError({
        kind: 'parse',
        status: response.status,
        message: body.ok ? 'reply is not an envelope' : 'reply is not JSON',
        cause: body.ok ? response.data : body.cause,
      }),
    );
  }
  if (envelope.success) return envelope.data;
  const auth = envelope.errorCode !== undefined && authCodes.includes(envelope.errorCode);
  return throwError(
    new AppError({
      kind: auth ? 'auth' : 'business',
      status: response.status,
      message: envelope.errorCode ?? 'business error',
      ...fromEnvelope,
      cause: envelope,
    }),
  );
}

function throwError(error: AppError): never {
  throw error;
}
