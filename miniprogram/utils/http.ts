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
import { AppError, offlineError, toAppError } from './errors';
import type { FeedbackWx, LoginWx, RequestWx, StorageSyncWx } from './http-ports';
import { createRequestId, createTraceId } from './ids';
import type { OutboxRequest, OutboxSubmitResult } from './outbox';
import { Monitor, monitorStage, type MetricsReporter } from './monitor';
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

/** Sorted (stable cache keys), without the undefined ones. */
function serialiseParams(params: RequestOptions['params']): string {
  if (!params) return '';
  return Object.keys(params)
    .filter((key) => params[key] !== undefined)
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(params[key] as string)}`)
    .join('&');
}

const METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);
/** The scheme and host of an absolute URL (its path is the rest). */
const ORIGIN = /^[a-z]+:\/\/[^/]+/i;

/** Wrong input from the caller: rejected before anything is sent. */
function inputError(problem: string): AppError {
  return new AppError({ kind: 'parse', message: `request: ${problem}` });
}

function problemWith({ url, timeout, cache }: RequestOptions, method: string): string | undefined {
  if (typeof url !== 'string' || !url) return 'url must be a non-empty string';
  if (!METHODS.has(method)) return `unsupported method ${method}`;
  if (timeout !== undefined && !(timeout > 0)) return 'timeout must be a positive number';
  if (cache && !(cache.ttl >= 0)) return 'cache.ttl must be >= 0';
}

/** An optional part: false leaves it out, undefined makes the default one. */
function injected<T>(part: T | false | undefined, make: () => T): T | undefined {
  if (part !== false) return part || make();
}

export class HttpClient implements HttpLike {
  readonly scheduler: TaskScheduler;
  readonly session?: SessionManager;
  readonly monitor?: Monitor;
  readonly errorPolicy?: ErrorPolicy;
  readonly cache?: ResponseCache;
  /** One request through the pipeline (made by the constructor: it closes over the parts). */
  private readonly send: <T>(options: RequestOptions<T>) => Promise<T>;
  /** The offline outbox behind `request({ outbox: true })`. */
  private outbox?: OutboxSubmitter;

  constructor({
    baseURL = '',
    wx,
    transport = createWxRequestTransport(wx),
    connectivity,
    timeout: defaultTimeout = 10_000,
    weakTimeoutFactor = 2,
    authCodes = DEFAULT_AUTH_CODES,
    loginPath = '/api/auth/login',
    now = Date.now,
    ...config
  }: HttpClientConfig = {}) {
    const storage = new SafeStorage(wx);
    const scheduler = (this.scheduler = config.scheduler || new Scheduler({ connectivity, now }));
    const monitor = (this.monitor = injected(config.monitor, () => new Monitor()));
    this.errorPolicy = injected(config.errorPolicy, () => new ErrorPolicy({ wx, now }));
    const cache = (this.cache = injected(config.cache, () => new ResponseCache({ storage })));
    const session = (this.session = injected(
      config.session,
      () =>
        new SessionManager({
          wx,
          storage,
          now,
          exchange: (code) =>
            this.post<LoginReply>(loginPath, { code }, { auth: false, skipErrorHandler: true }),
        }),
    ));
    /** Cancelled on logout: every authenticated request in flight follows it. */
    const sessionGroup = new CancelGroup();
    if (session) {
      session.onLogout((previous) => {
        sessionGroup.cancelAll('logout');
        // 'anon' holds authenticated replies of a session without a user id: never leave those.
        if (cache) cache.clearUser((previous && previous.userId) || 'anon');
      });
    }

    /** One attempt: a fresh X-Request-Id, the transport, then the envelope. */
    const attempt = (ctx: RequestContext): Promise<void> => {
      ctx.header['X-Request-Id'] = ctx.requestId = createRequestId();
      ctx.response = undefined;
      const started = now();
      const networkTime = (): void => {
        ctx.timings.networkMs += now() - started;
      };
      // The context carries everything a TransportRequest has (method, url, header, body...).
      return transport.send(ctx).then(
        (response) => {
          networkTime();
          ctx.response = response;
          ctx.bytes += response.bytes;
          const data = adaptEnvelope(response, authCodes);
          ctx.notModified = data === NOT_MODIFIED;
          if (!ctx.notModified) ctx.data = data;
        },
        (error: unknown) => {
          networkTime();
          throw error;
        },
      );
    };
    const stages: Array<Middleware<RequestContext> | undefined | false> = [
      monitor && monitorStage(monitor, now),
      errorPolicyStage(this.errorPolicy),
      cache && cacheStage(cache, { now }),
      dedupeStage(),
      // Below the cache (cached data still serves offline), above session and retry (no login,
      // no attempts): a new request made offline fails fast unless it asked to be held (the
      // scheduler then holds it until the network is back).
      connectivity &&
        ((ctx, next) =>
          connectivity.state.online || ctx.options.offline === 'queue'
            ? next(ctx)
            : Promise.reject(offlineError())),
      session && sessionStage(session, { reloginLimit: config.reloginLimit, now }),
      retryStage({ connectivity, ...config.retry }),
      (ctx) =>
        scheduler.schedule(
          ({ queuedMs }) => {
            ctx.timings.queueMs += queuedMs;
            return attempt(ctx);
          },
          { priority: ctx.options.priority, signal: ctx.signal, offline: ctx.options.offline },
        ),
    ];
    const run = compose(stages.filter((stage): stage is Middleware<RequestContext> => !!stage));
    // baseURL without a trailing slash; paths start after its origin.
    const base = baseURL.replace(/\/+$/, '');
    const baseOriginLength = base.length - base.replace(ORIGIN, '').length;

    const send = <T>(options: RequestOptions<T>): Promise<T> => {
      const method = (options.method || 'GET').toUpperCase() as HttpMethod;
      const problem = problemWith(options as RequestOptions, method);
      if (problem) return Promise.reject(inputError(problem));

      const { url: given, data, idempotencyKey, auth } = options;
      // Relative URLs (the usual case) skip the regex.
      const origin = given[0] === '/' ? null : ORIGIN.exec(given);
      let url = origin ? given : base + (given[0] === '/' ? '' : '/') + given;
      const query = serialiseParams(options.params);
      if (query) url += (url.includes('?') ? '&' : '?') + query;

      const traceId = createTraceId();
      // This request's own copy: each attempt stamps its X-Request-Id on it.
      const header: Record<string, string> = {
        ...config.header,
        ...options.header,
        'X-Trace-Id': traceId,
      };
      if (idempotencyKey) header['Idempotency-Key'] = idempotencyKey;
      if (data !== undefined && !Object.keys(header).some((name) => /^content-type$/i.test(name))) {
        header['Content-Type'] =
          data instanceof ArrayBuffer ? 'application/octet-stream' : 'application/json';
      }

      const lifetime: CancelSignal[] = [];
      if (options.signal) lifetime.push(options.signal);
      if (auth !== false && session) lifetime.push(sessionGroup.signal);
      // One signal is followed as it is (stages unsubscribe when done); only two need a link.
      const link = lifetime[1] ? linkSignalsDisposable(...lifetime) : undefined;
      const current = session && session.current();
      const weak = connectivity && connectivity.state.weak;
      const ctx: RequestContext = {
        options: options as RequestOptions,
        method,
        url,
        path: url.slice(origin ? origin[0].length : baseOriginLength) || '/',
        body: data,
        header,
        signal: link ? link.source.signal : lifetime[0] || NEVER_CANCELLED,
        lifetime,
        traceId,
        requestId: '',
        retries: 0,
        timeout: (options.timeout || defaultTimeout) * (weak ? weakTimeoutFactor : 1),
        user: auth === false ? 'public' : (current && current.userId) || 'anon',
        cache: 'bypass',
        notModified: false,
        timings: { queueMs: 0, loginMs: 0, networkMs: 0 },
        bytes: 0,
        startedAt: now(),
      };
      const done = (): void => {
        if (link) link.dispose();
      };
      return run(ctx).then(
        () => {
          done();
          return ctx.data as T;
        },
        (caught: unknown) => {
          done();
          const error = toAppError(caught);
          error.requestId = error.requestId || ctx.requestId || undefined;
          error.traceId = error.traceId || traceId;
          error.userMessage = error.userMessage || userMessageFor(error);
          throw error;
        },
      );
    };
    this.send = send;
  }

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
    if ((options as Partial<OutboxRequestOptions>).outbox) {
      // Persisted without the flag: its replays go to the network, not back to the outbox.
      const { outbox: _routed, ...mutation } = options as OutboxRequestOptions;
      return this.outbox
        ? this.outbox.submit<T>(mutation)
        : Promise.reject<OutboxSubmitResult<T>>(inputError('outbox: true needs attachOutbox()'));
    }
    return this.send(options as RequestOptions<T>);
  }

  get<T>(url: string, options?: BodyOptions<T>): Promise<T> {
    return this.send<T>({ ...options, url, method: 'GET' });
  }

  delete<T>(url: string, options?: BodyOptions<T>): Promise<T> {
    return this.send<T>({ ...options, url, method: 'DELETE' });
  }

  post<T>(url: string, data?: unknown, options?: BodyOptions<T>): Promise<T> {
    return this.send<T>({ ...options, url, data, method: 'POST' });
  }

  put<T>(url: string, data?: unknown, options?: BodyOptions<T>): Promise<T> {
    return this.send<T>({ ...options, url, data, method: 'PUT' });
  }

  patch<T>(url: string, data?: unknown, options?: BodyOptions<T>): Promise<T> {
    return this.send<T>({ ...options, url, data, method: 'PATCH' });
  }

  /** Ends the session: cancels authenticated requests in flight and clears the user's cache. */
  logout(): void {
    if (this.session) this.session.logout();
  }
}

export function createHttpClient(config?: HttpClientConfig): HttpClient {
  return new HttpClient(config);
}

/** A monitor reporter that posts batches to the backend (POST /api/metrics), untracked. */
export function serverMetricsReporter(client: HttpLike, url = '/api/metrics'): MetricsReporter {
  return (batch) =>
    client.request<void>({
      method: 'POST',
      url,
      data: batch,
      skipErrorHandler: true,
      retry: false,
      track: false,
    } as RequestOptions);
}
