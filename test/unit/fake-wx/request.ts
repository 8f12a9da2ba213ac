/**
 * Fake `wx.request` with a scripted server. Routes match `METHOD /path` (`:param` segments, `*`
 * suffix); unmatched requests get 404. Faults: latency, offline, status codes, malformed JSON,
 * dropped connections (`fail: 'request:fail interrupted'`), hanging replies (for timeouts).
 */
import { later, type WxFail } from './types';

export interface FakeRequest {
  method: string;
  url: string;
  path: string;
  query: Record<string, string>;
  params: Record<string, string>;
  header: Record<string, string>;
  data: unknown;
  timeout?: number;
}

export interface FakeReply {
  status?: number;
  /** Sent as-is; a string that is not JSON reaches the app as a string, like wx does. */
  data?: unknown;
  header?: Record<string, string>;
  /** Milliseconds before the reply (defaults to the fake's latency). */
  latency?: number;
  /** Fail instead of replying, e.g. 'request:fail interrupted'. */
  fail?: string;
  /** Never reply (only abort or the timeout ends it). */
  hang?: boolean;
}

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export const OFFLINE_ERRMSG = 'request:fail -2:net::ERR_INTERNET_DISCONNECTED';

interface Route {
  method: string;
  pattern: string;
  handler: FakeHandler;
}

export interface RequestControl {
  /** Adds a route; later routes win over earlier ones for the same request. */
  on(method: string, pattern: string, handler: FakeHandler | FakeReply): void;
  /** Shorthand: replies `{ success: true, data, traceId }`. */
  ok(method: string, pattern: string, data: unknown, extra?: Omit<FakeReply, 'data'>): void;
  /** Every request that reached the server, in order. */
  readonly log: FakeRequest[];
  /** wx.request calls currently in flight (for concurrency assertions). */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Aborted tasks, by url. */
  readonly aborted: string[];
  /** Default latency of every reply, in ms. */
  latency: number;
  /** false stops appending to `log` (benchmarks: a growing log would dominate GC). */
  keepLog: boolean;
  reset(): void;
}

function parseUrl(url: string): { path: string; query: Record<string, string> } {
  const withoutOrigin = url.replace(/^[a-z]+:\/\/[^/]+/i, '');
  const [path, search = ''] = withoutOrigin.split('?');
  const query: Record<string, string> = {};
  for (const pair of search.split('&').filter(Boolean)) {
    const [key, value = ''] = pair.split('=');
    query[decodeURIComponent(key)] = decodeURIComponent(value);
  }
  return { path: path || '/', query };
}

function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1)) ? {} : undefined;
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return undefined;
  }
  return params;
}

export function createRequestFamily(isOnline: () => boolean): {
  apis: Pick<WechatMiniprogram.Wx, 'request'>;
  control: RequestControl;
} {
  let routes: Route[] = [];
  const log: FakeRequest[] = [];
  const aborted: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const control: RequestControl = {
    on(method, pattern, handler) {
      const fn: FakeHandler = typeof handler === 'function' ? handler : () => handler;
      routes.push({ method: method.toUpperCase(), pattern, handler: fn });
    },
    ok(method, pattern, data, extra = {}) {
      control.on(method, pattern, () => ({
        status: 200,
        ...extra,
        data: { success: true, data, traceId: 'srv-trace' },
      }));
    },
    log,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    aborted,
    latency: 0,
    keepLog: true,
    reset() {
      routes = [];
      log.length = 0;
      aborted.length = 0;
      maxInFlight = inFlight;
    },
  };

  type Option = WechatMiniprogram.RequestOption;
  function request(option: Option): WechatMiniprogram.RequestTask {
    let done = false;
    let cancelReply: () => void = () => undefined;
    let cancelTimeout: () => void = () => undefined;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);

    const finishFail = (errMsg: string): void => {
      if (done) return;
      done = true;
      inFlight--;
      cancelReply();
      cancelTimeout();
      const error: WxFail = { errMsg };
      option.fail?.(error as WechatMiniprogram.RequestFailCallbackErr);
      option.complete?.(error as WechatMiniprogram.GeneralCallbackResult);
    };
    const finishOk = (reply: FakeReply): void => {
      if (done) return;
      done = true;
      inFlight--;
      cancelTimeout();
      const result = {
        data: reply.data as string,
        statusCode: reply.status ?? 200,
        header: reply.header ?? {},
        cookies: [],
        errMsg: 'request:ok',
      } as unknown as WechatMiniprogram.RequestSuccessCallbackResult;
      option.success?.(result);
      option.complete?.(result);
    };

    const { path, query } = parseUrl(option.url);
    const method = (option.method ?? 'GET').toUpperCase();
    if (option.timeout !== undefined && option.timeout > 0) {
      cancelTimeout = later(option.timeout, () => finishFail('request:fail timeout'));
    }
    if (!isOnline()) {
      cancelReply = later(0, () => finishFail(OFFLINE_ERRMSG));
    } else {
      let params: Record<string, string> = {};
      const route = [...routes].reverse().find((candidate) => {
        if (candidate.method !== method && candidate.method !== '*') return false;
        const found = matchRoute(candidate.pattern, path);
        if (found) params = found;
        return found !== undefined;
      });
      const entry: FakeRequest = {
        method,
        url: option.url,
        path,
        query,
        params,
        header: { ...(option.header as Record<string, string> | undefined) },
        data: option.data,
        timeout: option.timeout,
      };
      if (control.keepLog) log.push(entry);
      const respond = (reply: FakeReply): void => {
        if (done || reply.hang) return;
        cancelReply = later(reply.latency ?? control.latency, () =>
          reply.fail ? finishFail(reply.fail) : finishOk(reply),
        );
      };
      const handle = async (): Promise<FakeReply> =>
        route
          ? route.handler(entry)
          : { status: 404, data: { success: false, errorCode: 'NOT_FOUND', traceId: 'srv' } };
      handle().then(respond, (error: unknown) =>
        respond({
          status: 500,
          data: {
            success: false,
            errorCode: 'INTERNAL',
            errorMessage: String(error),
            traceId: 'srv',
          },
        }),
      );
    }

    const task = {
      abort() {
        if (done) return;
        aborted.push(option.url);
        finishFail('request:fail abort');
      },
      onHeadersReceived: () => undefined,
      offHeadersReceived: () => undefined,
      onChunkReceived: () => undefined,
      offChunkReceived: () => undefined,
    };
    return task as unknown as WechatMiniprogram.RequestTask;
  }

  return { apis: { request: request as WechatMiniprogram.Wx['request'] }, control };
}
