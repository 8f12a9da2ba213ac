/**
 * HttpClient: one onion pipeline per request —
 *   monitor → error policy → cache → dedupe → session → retry → scheduler → transport
 * (plus an offline gate after dedupe when a Connectivity is given).
 * Everything is injected with defaults, so each piece is testable alone and the app wires it once:
 *   const http = createHttpClient({ baseURL: __MP_API_BASE__ });
 *   const product = await http.get<Product>(`/api/products/${id}`, { cache: { ttl: 60_000 } });
 * The caller gets typed data or one AppError; every promise settles. Cancel with `signal`
 * (a CancelSource, or a page's CancelGroup that `onUnload` cancels).
 * Size: the app compiles to ES2018, where `??`, `?.` and `??=` become temporaries and ternaries;
 * the request stack (bench: request-stack/size) uses default parameters, `||` and `&&` where they
 * mean the same (objects, non-empty strings, positive numbers).
 */
import type { LoginReply } from '../../typings/api';
import { CancelGroup, linkSignalsDisposable, NEVER_CANCELLED, type CancelSignal } from './cancel';
import { cacheStage } from './cache-stage';
import { ResponseCache } from './cache';
import type { Connectivity, HttpLike, HttpMethod, TaskScheduler } from './contracts';
import { dedupeStage } from './dedupe';
import { adaptEnvelope, DEFAULT_AUTH_CODES, NOT_MODIFIED } from './envelope';
import { ErrorPolicy, errorPolicyStage, userMessageFor } from './error-handler';
import { offlineError, toAppError } from './errors';
import type { FeedbackWx, LoginWx, RequestWx, StorageSyncWx } from './http-ports';
import { createRequestId, createTraceId } from './ids';
import type { OutboxRequest, OutboxSubmitResult } from './outbox';
import { Monitor, monitorStage, type MetricsReporter } from './monitor';
import { withDefaults } from './options';
import { compose, type Middleware } from './pipeline';
import type { RequestContext, RequestOptions } from './request-context';
import { retryStage, type RetryStageOptions } from './retry';
import { Scheduler } from './scheduler';
import { SessionManager, sessionStage } from './session';
import { SafeStorage } from './storage';
import { createWxRequestTransport, type Transport } from './transport';

export type { RequestOptions, CacheOptions, ErrorUi } from './request-context';

/** The wx slices the default wiring uses; tests pass the fake wx. */
export type HttpWx = RequestWx & LoginWx & StorageSyncWx & FeedbackWx;

export interface HttpClientConfig {
  /** Origin (and optional path prefix) for relative URLs, e.g. http://127.0.0.1:3000 */
  baseURL?: string;
  wx?: HttpWx;
  transport?: Transport;
  scheduler?: TaskScheduler;
  /** false: no session stage (every request is anonymous). */
  session?: SessionManager | false;
  connectivity?: Connectivity;
  /** false: no monitoring. */
  monitor?: Monitor | false;
  /** false: errors are never shown (the pages show their own). */
  errorPolicy?: ErrorPolicy | false;
  /** false: no response cache (and no mutation invalidation). */
  cache?: ResponseCache | false;
  retry?: RetryStageOptions;
  /** Per-attempt timeout in ms. Default 10 s (ky's). */
  timeout?: number;
  /** On a weak network (2g/3g) timeouts are multiplied by this. Default 2. */
  weakTimeoutFactor?: number;
  /** Body error codes that mean "log in again". Default SESSION_EXPIRED, UNAUTHORIZED. */
  authCodes?: readonly string[];
  reloginLimit?: number;
  /** Code-for-session endpoint. Default '/api/auth/login'. */
  loginPath?: string;
  header?: Record<string, string>;
  now?: () => number;
}

type BodyOptions<T> = Omit<RequestOptions<T>, 'url' | 'method' | 'data'>;

/**
 * A mutation for the offline outbox: sent now when possible, else persisted with its
 * Idempotency-Key and replayed in order when the network is back (see outbox.ts).
 */
export type OutboxRequestOptions = OutboxRequest & { outbox: true };

/** What `request({ outbox: true })` needs: outbox.ts's MutationOutbox, attached by the app. */
export interface OutboxSubmitter {
  submit<T>(request: OutboxRequest): Promise<OutboxSubmitResult<T>>;
}

function serialiseParams(params: RequestOptions['params']): string {
  if (!params) return '';
  return Object.keys(params)
    .filter((key) => params[key] !== undefined)
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(params[key]))}`)
    .join('&');
}

const noop = (): void => undefined;
const METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/]+/i;

/**
 * While offline, a request marked `offline: 'queue'` goes on (the scheduler holds it until the
 * network is back); any other fails fast with an `offline` AppError instead of waiting.
 */
function offlineGate(connectivity: Connectivity): Middleware<RequestContext> {
  return (ctx, next) =>
    connectivity.state.online || ctx.options.offline === 'queue'
      ? next(ctx)
      : Promise.reject(offlineError());
}

/** An optional part: false leaves it out, undefined makes the default one. */
function injected<T>(part: T | false | undefined, make: () => T): T | undefined {
  if (part === false) return undefined;
  return part === undefined ? make() : part;
}

const DEFAULTS = {
  baseURL: '',
  timeout: 10_000,
  weakTimeoutFactor: 2,
  authCodes: DEFAULT_AUTH_CODES,
  loginPath: '/api/auth/login',
  now: Date.now,
};

export class HttpClient implements HttpLike {
  readonly scheduler: TaskScheduler;
  readonly session?: SessionManager;
  readonly monitor?: Monitor;
  readonly errorPolicy?: ErrorPolicy;
  readonly cache?: ResponseCache;
  readonly connectivity?: Connectivity;
  /** Cancelled on logout: every authenticated request in flight follows it. */
  private readonly sessionGroup = new CancelGroup();
  private readonly run: (ctx: RequestContext) => Promise<void>;
  private readonly now: () => number;
  private readonly config: typeof DEFAULTS & HttpClientConfig;
  /** baseURL without a trailing slash, and its path part (computed once, used per request). */
  private readonly base: string;
  private readonly basePath: string;

  constructor(options: HttpClientConfig = {}) {
    const config = (this.config = withDefaults(DEFAULTS, options));
    this.now = config.now;
    this.base = config.baseURL.replace(/\/+$/, '');
    this.basePath = this.base.replace(ORIGIN, '');
    const wx = config.wx;
    const storage = new SafeStorage(wx);
    this.connectivity = config.connectivity;
    this.scheduler =
      config.scheduler || new Scheduler({ connectivity: config.connectivity, now: this.now });
    this.monitor = injected(config.monitor, () => new Monitor());
    this.errorPolicy = injected(config.errorPolicy, () => new ErrorPolicy({ wx, now: this.now }));
    this.cache = injected(config.cache, () => new ResponseCache({ storage }));
    this.session = injected(
      config.session,
      () =>
        new SessionManager({
          wx,
          storage,
          now: this.now,
          exchange: (code) =>
            this.send<LoginReply>({
              method: 'POST',
              url: config.loginPath,
              data: { code },
              auth: false,
              skipErrorHandler: true,
            }),
        }),
    );
    if (this.session) {
      this.session.onLogout((previous) => {
        this.sessionGroup.cancelAll('logout');
        // 'anon' holds authenticated replies of a session without a user id: never leave those.
        if (this.cache) this.cache.clearUser((previous && previous.userId) || 'anon');
      });
    }

    const transport = config.transport || createWxRequestTransport(wx);
    const { authCodes } = config;
    const stages: Array<Middleware<RequestContext> | undefined> = [
      this.monitor && monitorStage(this.monitor, this.now),
      errorPolicyStage(this.errorPolicy),
      this.cache && cacheStage(this.cache, { now: this.now }),
      dedupeStage(),
      // Below the cache (cached data still serves offline), above session and retry (no login,
      // no attempts): a new request made offline fails fast unless it asked to be held.
      this.connectivity && offlineGate(this.connectivity),
      this.session &&
        sessionStage(this.session, { reloginLimit: config.reloginLimit, now: this.now }),
      retryStage({ connectivity: config.connectivity, ...config.retry }),
      (ctx, next) =>
        this.scheduler.schedule(
          async ({ queuedMs }) => {
            ctx.timings.queueMs += queuedMs;
            await next(ctx);
          },
          { priority: ctx.options.priority, signal: ctx.signal, offline: ctx.options.offline },
        ),
      (ctx) => {
        ctx.attempts++;
        ctx.requestId = createRequestId();
        ctx.response = undefined;
        // ctx.header is this request's own copy: stamping the ids on it saves an object per attempt.
        const header = ctx.header;
        header['X-Request-Id'] = ctx.requestId;
        header['X-Trace-Id'] = ctx.traceId;
        if (ctx.options.idempotencyKey) header['Idempotency-Key'] = ctx.options.idempotencyKey;
        const started = this.now();
        return transport
          .send({
            method: ctx.method,
            url: ctx.url,
            header,
            data: ctx.body,
            timeout: ctx.timeout,
            signal: ctx.signal,
          })
          .then(
            (response) => {
              ctx.timings.networkMs += this.now() - started;
              ctx.response = response;
              ctx.bytes += response.bytes;
              const data = adaptEnvelope(response, authCodes);
              ctx.notModified = data === NOT_MODIFIED;
              if (data !== NOT_MODIFIED) ctx.data = data;
            },
            (error: unknown) => {
              ctx.timings.networkMs += this.now() - started;
              throw error;
            },
          );
      },
    ];
    this.run = compose(stages.filter((stage): stage is Middleware<RequestContext> => !!stage));
  }

  private createContext(
    options: RequestOptions,
    signal: CancelSignal,
    lifetime: CancelSignal[],
  ): RequestContext {
    const method = (options.method ? options.method.toUpperCase() : 'GET') as HttpMethod;
    if (typeof options.url !== 'string' || options.url === '') {
      throw new TypeError('request: url must be a non-empty string');
    }
    if (!METHODS.has(method)) throw new TypeError(`request: unsupported method ${String(method)}`);
    if (options.timeout !== undefined && !(options.timeout > 0)) {
      throw new TypeError('request: timeout must be a positive number (ms)');
    }
    if (options.cache && !(options.cache.ttl >= 0)) {
      throw new TypeError('request: cache.ttl must be a number ≥ 0 (ms)');
    }
    const query = serialiseParams(options.params);
    const isAbsolute = options.url.charAt(0) !== '/' && ABSOLUTE.test(options.url);
    const relative = options.url.charAt(0) === '/' ? options.url : `/${options.url}`;
    const absolute = isAbsolute ? options.url : this.base + relative;
    const pathOnly = isAbsolute ? options.url.replace(ORIGIN, '') || '/' : this.basePath + relative;
    const separator = absolute.includes('?') ? '&' : '?';
    const url = query ? `${absolute}${separator}${query}` : absolute;
    const header: Record<string, string> = { ...this.config.header, ...options.header };
    if (options.data instanceof ArrayBuffer) header['Content-Type'] = 'application/octet-stream';
    else if (
      options.data !== undefined &&
      !Object.keys(header).some((name) => name.toLowerCase() === 'content-type')
    ) {
      header['Content-Type'] = 'application/json';
    }
    const weak =
      this.connectivity && this.connectivity.state.weak ? this.config.weakTimeoutFactor : 1;
    const session = this.session && this.session.current();
    return {
      options,
      method,
      url,
      path: query ? `${pathOnly}${separator}${query}` : pathOnly,
      body: options.data,
      header,
      signal,
      lifetime,
      traceId: createTraceId(),
      requestId: '',
      attempts: 0,
      retries: 0,
      timeout: (options.timeout || this.config.timeout) * weak,
      user: options.auth === false ? 'public' : (session && session.userId) || 'anon',
      notModified: false,
      cache: 'bypass',
      timings: { queueMs: 0, loginMs: 0, networkMs: 0 },
      bytes: 0,
      startedAt: this.now(),
    };
  }

  /** The offline outbox behind `request({ outbox: true })`. */
  private outbox?: OutboxSubmitter;

  /**
   * Routes `request({ outbox: true })` to `outbox` (the outbox sends through this client, so it
   * is made after it and attached here).
   */
  attachOutbox(outbox: OutboxSubmitter): void {
    this.outbox = outbox;
  }

  /**
   * `outbox: true`: a mutation that survives being offline. Resolves `{ state: 'sent', data }`
   * when the server took it now, `{ state: 'queued' }` when it was persisted for replay (offline
   * or a network failure); rejects when the server refused it (4xx) or the input is wrong.
   */
  request<T>(options: OutboxRequestOptions): Promise<OutboxSubmitResult<T>>;
  request<T>(options: RequestOptions<T>): Promise<T>;
  request<T>(
    options: RequestOptions<T> | OutboxRequestOptions,
  ): Promise<T> | Promise<OutboxSubmitResult<T>> {
    if ('outbox' in options && options.outbox === true) {
      const { outbox: _routed, ...mutation } = options;
      if (!this.outbox) {
        return Promise.reject<OutboxSubmitResult<T>>(
          toAppError(new TypeError('request: outbox: true needs attachOutbox() first'), 'parse'),
        );
      }
      return this.outbox.submit<T>(mutation);
    }
    return this.send(options as RequestOptions<T>);
  }

  private send<T>(options: RequestOptions<T>): Promise<T> {
    const authenticated = options.auth !== false && this.session !== undefined;
    const lifetime: CancelSignal[] = [];
    if (options.signal) lifetime.push(options.signal);
    if (authenticated) lifetime.push(this.sessionGroup.signal);
    // One signal is followed as it is (stages unsubscribe when done); only two need a link.
    const link = lifetime.length > 1 ? linkSignalsDisposable(...lifetime) : undefined;
    const signal = link ? link.source.signal : lifetime[0] || NEVER_CANCELLED;
    const dispose = link ? link.dispose : noop;
    let ctx: RequestContext;
    try {
      ctx = this.createContext(options as RequestOptions, signal, lifetime);
    } catch (error) {
      dispose();
      return Promise.reject(toAppError(error, 'parse'));
    }
    return this.run(ctx).then(
      () => {
        dispose();
        return ctx.data as T;
      },
      (caught: unknown) => {
        dispose();
        const error = toAppError(caught);
        error.requestId = error.requestId || ctx.requestId || undefined;
        error.traceId = error.traceId || ctx.traceId;
        error.userMessage = error.userMessage || userMessageFor(error);
        throw error;
      },
    );
  }

  get<T>(url: string, options: BodyOptions<T> = {}): Promise<T> {
    return this.send<T>({ ...options, url, method: 'GET' });
  }

  delete<T>(url: string, options: BodyOptions<T> = {}): Promise<T> {
    return this.send<T>({ ...options, url, method: 'DELETE' });
  }

  post<T>(url: string, data?: unknown, options: BodyOptions<T> = {}): Promise<T> {
    return this.send<T>({ ...options, url, data, method: 'POST' });
  }

  put<T>(url: string, data?: unknown, options: BodyOptions<T> = {}): Promise<T> {
    return this.send<T>({ ...options, url, data, method: 'PUT' });
  }

  patch<T>(url: string, data?: unknown, options: BodyOptions<T> = {}): Promise<T> {
    return this.send<T>({ ...options, url, data, method: 'PATCH' });
  }

  /** Ends the session: cancels authenticated requests in flight and clears the user's cache. */
  logout(): void {
    if (this.session) this.session.logout();
  }
}

export function createHttpClient(config: HttpClientConfig = {}): HttpClient {
  return new HttpClient(config);
}

/** A monitor reporter that posts batches to the backend (POST /api/metrics), untracked. */
export function serverMetricsReporter(client: HttpLike, url = '/api/metrics'): MetricsReporter {
  return async (batch) => {
    await client.request<unknown>({
      method: 'POST',
      url,
      data: batch,
      skipErrorHandler: true,
      retry: false,
      track: false,
    } as RequestOptions);
  };
}
