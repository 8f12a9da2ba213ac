/**
 * The last stage: sends one attempt. `Transport` is the seam for other backends (a
 * wx.cloud.callFunction transport plugs in here without touching the pipeline).
 */
import type { CancelSignal } from './cancel';
import type { HttpMethod } from './contracts';
import { AppError, cancelledError, toAppError } from './errors';
import { defaultWx, type RequestWx, type WxFailResult, type WxRequestTask } from './http-ports';

export interface TransportRequest {
  method: HttpMethod;
  url: string;
  header: Record<string, string>;
  data?: unknown;
  /** Milliseconds; the attempt is aborted (RequestTask.abort) when it passes. */
  timeout: number;
  signal: CancelSignal;
}

export interface TransportResponse {
  status: number;
  /** Header names in lower case. */
  header: Record<string, string>;
  data: unknown;
  bytes: number;
}

export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
}

export function lowerCaseKeys(header: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const key of Object.keys(header)) out[key.toLowerCase()] = String(header[key]);
  return out;
}

export function estimateBytes(data: unknown, header: Record<string, string>): number {
  const declared = Number(header['content-length']);
  if (declared >= 0 && header['content-length'] !== undefined) return declared;
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (data === undefined || data === null) return 0;
  try {
    return JSON.stringify(data).length;
  } catch {
    return 0;
  }
}

/** Maps a wx `fail` result to the taxonomy. `interrupted` (app sent to background) is a network error. */
export function errorFromWxFail(fail: WxFailResult): AppError {
  const text = fail.errMsg || '';
  if (/fail abort/.test(text))
    return new AppError({ kind: 'cancelled', message: text, cause: fail });
  if (/timeout|timed out/i.test(text))
    return new AppError({ kind: 'timeout', message: text, cause: fail });
  return new AppError({ kind: 'network', message: text, cause: fail });
}

export function createWxRequestTransport(wx?: RequestWx): Transport {
  return {
    send({ method, url, header, data, timeout, signal }) {
      return new Promise<TransportResponse>((resolve, reject) => {
        if (signal.aborted) return reject(cancelledError(signal.reason));
        let api: RequestWx;
        try {
          api = wx || defaultWx<RequestWx>();
        } catch (error) {
          return reject(toAppError(error));
        }
        let settled = false;
        // Cleared by `finish`, also when wx settles synchronously; fires after `task` exists.
        const timer = setTimeout(
          () => abort(new AppError({ kind: 'timeout', message: `timeout after ${timeout} ms` })),
          timeout,
        );
        let unsubscribe = (): void => undefined;
        /** The first outcome wins. */
        const finish = (error?: AppError, response?: TransportResponse): boolean => {
          if (settled) return false;
          settled = true;
          clearTimeout(timer);
          unsubscribe();
          if (error) reject(error);
          else resolve(response as TransportResponse);
          return true;
        };
        let task: WxRequestTask | undefined;
        // A timeout or a cancel also stops the wx task, so its slot frees at once.
        const abort = (error: AppError): void => {
          if (finish(error) && task) task.abort();
        };
        // wx.request cannot send PATCH: tunnel it the conventional way.
        const patch = method === 'PATCH';
        try {
          task = api.request({
            url,
            method: patch ? 'POST' : method,
            header: patch ? { ...header, 'X-HTTP-Method-Override': 'PATCH' } : header,
            data: data as string | Record<string, unknown> | ArrayBuffer | undefined,
            // wx's own timer is only a backstop; ours aborts the task so the slot frees at once.
            timeout: timeout + 1000,
            success: (result) => {
              const lower = lowerCaseKeys(result.header);
              finish(undefined, {
                status: result.statusCode,
                header: lower,
                data: result.data,
                bytes: estimateBytes(result.data, lower),
              });
            },
            fail: (error) => finish(errorFromWxFail(error)),
          });
        } catch (error) {
          // wx.request threw (e.g. a bad parameter): settle now, and the timer never fires.
          finish(toAppError(error));
          return;
        }
        if (settled) return;
        unsubscribe = signal.onAbort((reason) => abort(cancelledError(reason)));
      });
    },
  };
}
