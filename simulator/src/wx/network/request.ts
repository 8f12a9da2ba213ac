import * as fs from 'node:fs';
import * as path from 'node:path';
import { deliver, failResult, okResult, optionsOf, WxFailure } from '../callback';
import type { WxContext } from '../context';
import { paramError } from '../context';
import { Listeners } from '../types';
import {
  appendQuery,
  bytesOf,
  headerValue,
  isArrayBufferLike,
  plainHeaders,
  toArrayBuffer,
  toQueryString,
} from './body';
import { type HttpCall, startHttpCall } from './http';
import type { ConcurrencyLimiter } from './limiter';
import type { NetworkConditions } from './state';

const METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PATCH'];

export type TimedApi = 'request' | 'uploadFile' | 'downloadFile' | 'connectSocket';

export interface NetEnv {
  ctx: WxContext;
  /** app.json `networkTimeout`: per-API defaults in ms. */
  appTimeouts: Partial<Record<TimedApi, number>>;
  network: NetworkConditions;
  limiter: ConcurrencyLimiter;
  /** Calls still running, so dispose() can abort them. */
  inflight: Set<{ abort(): void }>;
}

export function parseUrl(value: unknown, schemes: string[]): URL {
  if (typeof value !== 'string') throw new WxFailure(paramError('url', 'String', value));
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WxFailure(`invalid url "${value}"`);
  }
  if (!schemes.includes(url.protocol)) throw new WxFailure(`invalid url "${value}"`);
  return url;
}

/** The call's timeout, else app.json's networkTimeout for the API, else 60 s (WeChat's). */
export function timeoutOf(env: NetEnv, value: unknown, api: TimedApi): number {
  if (typeof value === 'number' && value > 0) return value;
  return env.appTimeouts[api] ?? env.ctx.options.requestTimeoutMs ?? 60000;
}

/** Reads `networkTimeout` from the project's app.json; a missing or odd file means defaults. */
export function readAppTimeouts(projectPath: string): Partial<Record<TimedApi, number>> {
  try {
    const app = JSON.parse(fs.readFileSync(path.join(projectPath, 'app.json'), 'utf8')) as {
      networkTimeout?: Record<string, unknown>;
    };
    const out: Partial<Record<TimedApi, number>> = {};
    for (const api of ['request', 'uploadFile', 'downloadFile', 'connectSocket'] as const) {
      const ms = app.networkTimeout?.[api];
      if (typeof ms === 'number' && ms > 0) out[api] = ms;
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * The app's headers plus the Referer every call from a mini program carries (DevTools sends
 * `devtools` as the version). The app cannot set Referer itself, as in WeChat.
 */
export function withDefaultHeaders(env: NetEnv, header: unknown): Record<string, string> {
  const appId = env.ctx.host.appId ?? 'touristappid';
  const headers = plainHeaders(header);
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'referer') delete headers[name];
  }
  return { ...headers, Referer: `https://servicewechat.com/${appId}/devtools/page-frame.html` };
}

function requestBody(
  method: string,
  data: unknown,
  headers: Record<string, string>,
): { query: string; body: Buffer | null } {
  if (data === undefined || data === null) return { query: '', body: null };
  if (isArrayBufferLike(data)) return { query: '', body: bytesOf(data) };
  if (method === 'GET') {
    if (typeof data === 'object')
      return { query: toQueryString(data as object as Record<string, unknown>), body: null };
    return { query: String(data), body: null };
  }
  if (typeof data === 'string') return { query: '', body: Buffer.from(data) };
  const type = headerValue(headers, 'content-type') ?? '';
  if (type.includes('application/x-www-form-urlencoded') && typeof data === 'object') {
    return { query: '', body: Buffer.from(toQueryString(data as Record<string, unknown>)) };
  }
  return { query: '', body: Buffer.from(JSON.stringify(data)) };
}

/** wx.request: a real HTTP(S) exchange. Returns a RequestTask (never a Promise, as in WeChat). */
export function createRequest(env: NetEnv) {
  const AppArrayBuffer = env.ctx.host.realm?.ArrayBuffer;
  return (arg?: unknown) => {
    const api = 'request';
    const headersListeners = new Listeners<[Record<string, unknown>]>(env.ctx.onCallbackError);
    const chunkListeners = new Listeners<[Record<string, unknown>]>(env.ctx.onCallbackError);
    let call: HttpCall | undefined;
    let aborted = false;
    const task = {
      abort() {
        aborted = true;
        call?.abort();
      },
      onHeadersReceived: (fn: unknown) => headersListeners.add(fn),
      offHeadersReceived: (fn?: unknown) => headersListeners.remove(fn),
      onChunkReceived: (fn: unknown) => chunkListeners.add(fn),
      offChunkReceived: (fn?: unknown) => chunkListeners.remove(fn),
    };
    let options: Record<string, unknown> = {};
    const settle = (ok: boolean, result: Record<string, unknown>) =>
      deliver(options, ok, result, env.ctx.onCallbackError);
    const run = async () => {
      options = optionsOf(arg);
      const url = parseUrl(options.url, ['http:', 'https:']);
      const method = String(options.method ?? 'GET').toUpperCase();
      if (!METHODS.includes(method)) throw new WxFailure(`invalid method ${method}`);
      const headers = withDefaultHeaders(env, options.header);
      if (headerValue(headers, 'content-type') === undefined) {
        headers['content-type'] = 'application/json';
      }
      const { query, body } = requestBody(method, options.data, headers);
      const dataType = options.dataType ?? 'json';
      const responseType = options.responseType ?? 'text';
      call = startHttpCall(env.network, env.limiter, {
        url: appendQuery(url, query),
        method,
        headers,
        body,
        timeoutMs: timeoutOf(env, options.timeout, 'request'),
        onHeaders: (statusCode, header, cookies) =>
          headersListeners.emit({ header, statusCode, cookies }),
        onChunk: (chunk) => {
          if (options.enableChunked)
            chunkListeners.emit({ data: toArrayBuffer(chunk, AppArrayBuffer) });
        },
      });
      if (aborted) call.abort();
      env.inflight.add(call);
      try {
        const res = await call.done;
        let data: unknown;
        if (responseType === 'arraybuffer') {
          data = toArrayBuffer(res.body, AppArrayBuffer);
        } else {
          // WeChat strips one UTF-8 BOM, then parses JSON when dataType is json (else the text).
          const text = res.body.toString('utf8').replace(/^\uFEFF/, '');
          data = text;
          if (dataType === 'json') {
            try {
              data = JSON.parse(text);
            } catch {
              data = text;
            }
          }
        }
        return { data, statusCode: res.statusCode, header: res.header, cookies: res.cookies };
      } finally {
        env.inflight.delete(call);
      }
    };
    void Promise.resolve()
      .then(run)
      .then(
        (payload) => settle(true, okResult(api, payload)),
        (error: unknown) => settle(false, failResult(api, error)),
      );
    return task;
  };
}
