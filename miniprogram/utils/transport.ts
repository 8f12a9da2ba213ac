/**
 * The last stage: sends one attempt. `Transport` is the seam for other backends (a
 * wx.cloud.callFunction transport plugs in here without touching the pipeline).
 */
import type { CancelSignal } from './cancel';
import type { HttpMethod } from './contracts';
import { AppError, cancelledError, toAppError } from './errors';
import {
  defaultWx,
  type RequestWx,
  type WxFailResult,
  type WxRequestSuccess,
  type WxRequestTask,
} from './http-ports';

/** What one attempt sends (the pipeline passes its RequestContext, which has all of it). */
export interface TransportRequest {
  method: HttpMethod;
  url: string;
  header: Record<string, string>;
  body?: unknown;
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

/** wx's reply as the pipeline reads it: header names in lower case, and its size in bytes. */
export function toTransportResponse(result: WxRequestSuccess): TransportResponse {
  const { data, header = {} } = result;
  const lower: Record<string, string> = {};
  for (const key of Object.keys(header)) lower[key.toLowerCase()] = header[key];
  // Content-Length when the server sent one, else the size of the body as received.
  let bytes = Number(lower['content-length']);
  if (!(bytes >= 0)) {
    try {
      bytes =
        data instanceof ArrayBuffer
          ? data.byteLength
          : (typeof data === 'string' ? data : JSON.stringify(data) || '').length;
    } catch {
      bytes = 0; // not serialisable (cyclic): unknown
    }
  }
  return { status: result.statusCode, header: lower, data, bytes };
}

/** Maps a wx `fail` result to the taxonomy. `interrupted` (app sent to background) is a network error. */
export function errorFromWxFail(fail: WxFailResult): AppError {
  const text = fail.errMsg; // a missing one reads as "undefined": a network error
  return toAppError(
    fail,
    /fail abort/.test(text) ? 'cancelled' : /timeout|timed out/i.test(text) ? 'timeout' : 'network',
  );
}

export function createWxRequestTransport(wx?: RequestWx): Transport {
  return {
    send({ method, url, header, body, timeout, signal }) {
      return new Promise<TransportResponse>((resolve, reject) => {
        if (signal.aborted) return reject(cancelledError(signal.reason));
        let task: WxRequestTask;
        // Whichever comes first (timeout, cancel, wx's reply) settles; settling twice is a no-op,
        // and a finished wx task ignores abort().
        const finish = (error?: AppError, response?: TransportResponse): void => {
          clearTimeout(timer);
          unsubscribe();
          if (error) reject(error);
          else resolve(response as TransportResponse);
        };
        // A timeout or a cancel also stops the wx task, so its slot frees at once.
        const abort = (error: AppError): void => {
          finish(error);
          task.abort();
        };
        // Both fire on a later turn, after `task` exists.
        const timer = setTimeout(
          () => abort(new AppError({ kind: 'timeout', message: `timeout after ${timeout} ms` })),
          timeout,
        );
        const unsubscribe = signal.onAbort((reason) => abort(cancelledError(reason)));
        // wx.request cannot send PATCH: tunnel it the conventional way.
        const patch = method === 'PATCH';
        try {
          task = (wx || defaultWx<RequestWx>()).request({
            url,
            method: patch ? 'POST' : method,
            header: patch ? { ...header, 'X-HTTP-Method-Override': 'PATCH' } : header,
            data: body as string | Record<string, unknown> | ArrayBuffer | undefined,
            // wx's own timer is only a backstop; ours aborts the task so the slot frees at once.
            timeout: timeout + 1000,
            success: (result) => finish(undefined, toTransportResponse(result)),
            fail: (error) => finish(errorFromWxFail(error)),
          });
        } catch (error) {
          // No wx, or wx.request threw (e.g. a bad parameter): settle now; the timer is cleared.
          finish(toAppError(error));
        }
      });
    },
  };
}
