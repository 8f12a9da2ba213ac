/**
 * Turning wx transfer outcomes (uploadFile, downloadFile) into AppErrors, and the retry rule
 * they share: network failures, timeouts, 408/429/5xx and a refused session are worth another
 * attempt; other 4xx, business and parse errors are not.
 */
import type { CancelSignal } from './cancel';
import { AppError } from './errors';
import type { Timers, WxFail } from './wx-ports';

export function fromWxFail(error: WxFail | unknown): AppError {
  const errMsg = String((error as WxFail | undefined)?.errMsg ?? error);
  if (/abort|cancel/i.test(errMsg))
    return new AppError({ kind: 'cancelled', message: errMsg, cause: error });
  if (/timeout|timed out/i.test(errMsg))
    return new AppError({ kind: 'timeout', message: errMsg, cause: error });
  return new AppError({ kind: 'network', message: errMsg, cause: error });
}

export function fromStatus(statusCode: number, body?: unknown): AppError {
  if (statusCode === 401)
    return new AppError({ kind: 'auth', status: 401, message: 'HTTP 401', cause: body });
  return new AppError({
    kind: 'http',
    status: statusCode,
    message: `HTTP ${statusCode}`,
    cause: body,
  });
}

export function isRetryable(error: AppError): boolean {
  switch (error.kind) {
    case 'network':
    case 'timeout':
    case 'auth':
      return true;
    case 'http':
      return error.status === 408 || error.status === 429 || (error.status ?? 0) >= 500;
    default:
      return false;
  }
}

/** Waits `ms`, rejecting with a `cancelled` AppError as soon as `signal` aborts. */
export function sleep(ms: number, timers: Timers, signal?: CancelSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new AppError({ kind: 'cancelled', cause: signal.reason }));
    const off = signal?.onAbort((reason) => {
      timers.clearTimeout(handle);
      reject(new AppError({ kind: 'cancelled', cause: reason }));
    });
    const handle = timers.setTimeout(() => {
      off?.();
      resolve();
    }, ms);
  });
}
