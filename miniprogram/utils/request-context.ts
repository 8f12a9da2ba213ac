/**
 * The per-request state every pipeline stage reads and writes, and the full option set of
 * `HttpClient.request` (a superset of contracts.ts's `HttpRequestOptions`).
 */
import type { CancelSignal } from './cancel';
import type { HttpMethod, HttpRequestOptions } from './contracts';
import type { TransportResponse } from './transport';

export interface CacheOptions<T = unknown> {
  /** Milliseconds the entry is fresh. */
  ttl: number;
  /**
   * Stale-while-revalidate: after `ttl`, return the stale data at once and refresh in the
   * background. `true` keeps stale data usable forever; a number bounds it (ms after `ttl`).
   */
  swr?: boolean | number;
  /** Called once with the fresh data when a background revalidation brought new data. */
  onUpdate?: (data: T) => void;
  /** Labels for `invalidate({ tags })`. */
  tags?: string[];
}

export type ErrorUi = 'none' | 'toast' | 'modal' | 'retry' | 'page';

export interface RequestOptions<T = unknown> extends HttpRequestOptions {
  /** GET only; off unless given. */
  cache?: CacheOptions<T> | false;
  /** Share identical in-flight GET/HEAD calls. Default true. */
  dedupe?: boolean;
  /** false: never show; a UI kind forces it; default: by showType and error kind. */
  showError?: boolean | ErrorUi;
  /** Show wx.showLoading while in flight (reference-counted); a string sets the title. */
  loading?: boolean | string;
  /** What a successful mutation invalidates, besides its own collection path. */
  invalidate?: { prefixes?: string[]; tags?: string[] };
  /** false keeps the request out of the monitor (e.g. the metrics upload itself). */
  track?: boolean;
}

export type CacheStatus = 'hit' | 'miss' | 'revalidated' | 'bypass';

export interface RequestTimings {
  queueMs: number;
  loginMs: number;
  networkMs: number;
}

export interface RequestContext {
  readonly options: RequestOptions;
  readonly method: HttpMethod;
  /** Absolute URL with the sorted query string. */
  readonly url: string;
  /** Path + sorted query, without the origin (cache keys, invalidation, endpoint patterns). */
  readonly path: string;
  readonly body: unknown;
  header: Record<string, string>;
  signal: CancelSignal;
  /** The long-lived signals the request follows (its own, the session's); background work links to these. */
  readonly lifetime: readonly CancelSignal[];
  readonly traceId: string;
  /** Id of the latest attempt ('' before the first). */
  requestId: string;
  retries: number;
  timeout: number;
  /** Cache/dedupe partition: the user id, 'anon' or 'public'. */
  user: string;
  /** Session generation the request was sent with. */
  generation?: number;
  response?: TransportResponse;
  /** The envelope's `data` once adapted. */
  data?: unknown;
  /** The server answered 304 to If-None-Match. */
  notModified: boolean;
  cache: CacheStatus;
  timings: RequestTimings;
  bytes: number;
  readonly startedAt: number;
}

/** A copy for another run of the inner stages (background revalidation), with fresh results. */
export function forkContext(ctx: RequestContext, signal: CancelSignal): RequestContext {
  return {
    ...ctx,
    header: { ...ctx.header },
    signal,
    retries: 0,
    response: undefined,
    data: undefined,
    notModified: false,
    timings: { queueMs: 0, loginMs: 0, networkMs: 0 },
    bytes: 0,
  };
}

/** Copies what the inner stages produced back into a subscriber's context. */
export function adoptResult(target: RequestContext, source: RequestContext): void {
  target.response = source.response;
  target.data = source.data;
  target.notModified = source.notModified;
  target.retries += source.retries;
  target.requestId = source.requestId;
  target.bytes += source.bytes;
  if (source.generation !== undefined) target.generation = source.generation;
  target.user = source.user;
  target.timings.queueMs += source.timings.queueMs;
  target.timings.loginMs += source.timings.loginMs;
  target.timings.networkMs += source.timings.networkMs;
}

export const SAFE_METHODS: ReadonlySet<HttpMethod> = new Set<HttpMethod>(['GET', 'HEAD']);
