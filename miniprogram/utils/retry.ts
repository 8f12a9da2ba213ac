/**
 * Retry with ky's semantics plus the mini program's own failures:
 * - only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS); POST/PATCH only with an
 *   Idempotency-Key;
 * - statuses 408, 413, 429, 500, 502, 503, 504, network failures (incl. `request:fail
 *   interrupted`) and timeouts;
 * - Retry-After (seconds or HTTP date) honoured up to `maxRetryAfterMs` (longer: give up);
 * - exponential backoff 300 ms · 2^(n-1), capped, with full jitter;
 * - a retry budget (token bucket: a retry costs 1, a success earns `refillPerSuccess`) so an
 *   outage does not multiply load;
 * - offline-aware: while offline, wait for the network without spending an attempt (or fail
 *   fast with an `offline` error).
 */
import { backoffDelay } from './backoff';
import type { CancelSignal } from './cancel';
import type { Connectivity, HttpMethod } from './contracts';
import { cancelledError, isAppError, offlineError, type AppError } from './errors';
import type { Middleware } from './pipeline';
import type { RequestContext } from './request-context';

export interface RetryPolicy {
  /** Retries after the first attempt. Default 2. */
  limit: number;
  methods: readonly HttpMethod[];
  statusCodes: readonly number[];
  /** Statuses whose Retry-After is honoured. */
  afterStatusCodes: readonly number[];
  /** Longer Retry-After values end the retries. Default 60 s. */
  maxRetryAfterMs: number;
  baseDelayMs: number;
  /** Backoff cap. Default 10 s. */
  backoffLimitMs: number;
  /** While offline: wait for the network, or fail at once. Default 'wait'. */
  offline: 'wait' | 'fail';
  /** Offline waits per request before giving up. Default 3. */
  maxOfflineWaits: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  limit: 2,
  methods: ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'],
  statusCodes: [408, 413, 429, 500, 502, 503, 504],
  afterStatusCodes: [413, 429, 503],
  maxRetryAfterMs: 60_000,
  baseDelayMs: 300,
  backoffLimitMs: 10_000,
  offline: 'wait',
  maxOfflineWaits: 3,
};

/** Token bucket shared by every request of one client. */
export class RetryBudget {
  private tokens: number;
  constructor(
    readonly capacity = 10,
    readonly refillPerSuccess = 0.1,
  ) {
    this.tokens = capacity;
  }
  get available(): number {
    return this.tokens;
  }
  tryTake(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  onSuccess(): void {
    this.tokens = Math.min(this.capacity, this.tokens + this.refillPerSuccess);
  }
}

export interface RetryStageOptions {
  policy?: Partial<RetryPolicy>;
  budget?: RetryBudget;
  connectivity?: Connectivity;
  random?: () => number;
  now?: () => number;
  /** Called before each retry (for hooks and tests). */
  onRetry?: (info: { attempt: number; delayMs: number; error: AppError }) => void;
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Delay before retry number `retry` (1-based): the shared full-jitter backoff, by the policy. */
export function retryDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  return backoffDelay(retry - 1, {
    baseMs: policy.baseDelayMs,
    capMs: policy.backoffLimitMs,
    random,
  });
}

export function sleep(ms: number, signal: CancelSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = signal.onAbort((reason) => {
      clearTimeout(timer);
      reject(cancelledError(reason));
    });
  });
}

function retryable(error: AppError, policy: RetryPolicy): boolean {
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return (
    error.kind === 'http' && error.status !== undefined && policy.statusCodes.includes(error.status)
  );
}

function attemptsAllowed(ctx: RequestContext, policy: RetryPolicy): number {
  const option = ctx.options.retry;
  if (option === false) return 0;
  const methodOk = policy.methods.includes(ctx.method) || ctx.options.idempotencyKey !== undefined;
  if (!methodOk) return 0;
  return typeof option === 'number' ? Math.max(0, option) : policy.limit;
}

export function retryStage({
  policy: overrides,
  budget = new RetryBudget(),
  random = Math.random,
  now = Date.now,
  connectivity,
  onRetry,
}: RetryStageOptions = {}): Middleware<RequestContext> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...overrides };

  return (ctx, next) => {
    const limit = attemptsAllowed(ctx, policy);
    let offlineWaits = 0;
    // A then-chain rather than an async loop: the successful first attempt (nearly every
    // request) costs one promise; failures recurse at most `limit` + `maxOfflineWaits` times.
    const attempt = (): Promise<void> => next(ctx).then(succeeded, failed);
    const succeeded = (): void => budget.onSuccess();
    const failed = async (caught: unknown): Promise<void> => {
      if (!isAppError(caught)) throw caught;
      const error = caught;
      const offline = connectivity !== undefined && !connectivity.state.online;
      if (
        offline &&
        (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'offline')
      ) {
        if (
          policy.offline === 'fail' ||
          ctx.options.offline === 'fail' ||
          offlineWaits >= policy.maxOfflineWaits
        ) {
          throw offlineError(error);
        }
        offlineWaits++;
        await connectivity.waitForOnline(ctx.signal);
        return attempt(); // the network was gone: that attempt does not count
      }
      if (ctx.retries >= limit || !retryable(error, policy)) throw error;
      let delayMs = retryDelay(ctx.retries + 1, policy, random);
      if (error.status !== undefined && policy.afterStatusCodes.includes(error.status)) {
        const after = parseRetryAfter(ctx.response && ctx.response.header['retry-after'], now());
        if (after !== undefined) {
          if (after > policy.maxRetryAfterMs) throw error;
          delayMs = after;
        }
      }
      if (!budget.tryTake()) throw error;
      ctx.retries++;
      if (onRetry) onRetry({ attempt: ctx.retries, delayMs, error });
      await sleep(delayMs, ctx.signal);
      return attempt();
    };
    return attempt();
  };
}
