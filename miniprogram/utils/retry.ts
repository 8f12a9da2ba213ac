/**
 * Retry with ky's semantics plus the mini program's own failures:
 * - only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS); POST/PATCH only with an
 *   Idempotency-Key;
 * - statuses 408, 413, 429, 500, 502, 503, 504, network failures (incl. `request:fail
 *   interrupted`) and timeouts;
 * - Retry-After (seconds or HTTP date) honoured up to 60 s (longer: give up);
 * - exponential backoff 300 ms · 2^(n-1), capped at 10 s, with full jitter;
 * - a retry budget (a retry costs 1, a success earns `earnedPerSuccess`) so an outage does not
 *   multiply load;
 * - offline-aware: while offline, wait for the network without spending an attempt, or fail
 *   fast with an `offline` error when the request says `offline: 'fail'`.
 */
import { backoffDelay } from './backoff';
import type { CancelSignal } from './cancel';
import type { Connectivity } from './contracts';
import { cancelledError, isAppError, offlineError } from './errors';
import type { Middleware } from './pipeline';
import type { RequestContext } from './request-context';

/** The stage's numbers (a const enum: the bundle gets the values inlined, not named constants). */
const enum Limit {
  /** Retries after the first attempt unless the request's `retry` option says otherwise. */
  DefaultRetries = 2,
  /** Longer Retry-After values end the retries. */
  MaxRetryAfterMs = 60_000,
  /** Offline waits per request before giving up (a flapping network cannot hold a request forever). */
  OfflineWaits = 3,
}
// `number | undefined` so an error without a status can be looked up as is.
const RETRY_STATUSES: ReadonlyArray<number | undefined> = [408, 413, 429, 500, 502, 503, 504];
/** Statuses whose Retry-After is honoured. */
const RETRY_AFTER_STATUSES: ReadonlyArray<number | undefined> = [413, 429, 503];

/** Token bucket shared by every request of one client: a retry costs 1, a success earns some back. */
export class RetryBudget {
  /** Tokens left (read-only for callers). */
  available: number;
  constructor(
    private readonly max = 10,
    private readonly earnedPerSuccess = 0.1,
  ) {
    this.available = max;
  }
  /** Spends a token on a retry; false when none is left. */
  take(): boolean {
    if (this.available < 1) return false;
    this.available--;
    return true;
  }
  earn(): void {
    this.available = Math.min(this.max, this.available + this.earnedPerSuccess);
  }
}

export interface RetryStageOptions {
  budget?: RetryBudget;
  connectivity?: Connectivity;
  /** Source of the backoff jitter in [0, 1). */
  random?: () => number;
}

/**
 * Retry-After as milliseconds from `now`: delta-seconds or an HTTP date (which starts with a day
 * name, so it never parses as a number). NaN when there is none or it is unreadable.
 */
export function parseRetryAfter(value = '', now: number): number {
  const seconds = parseFloat(value);
  return Math.max(0, isNaN(seconds) ? Date.parse(value) - now : seconds * 1000);
}

function sleep(ms: number, signal: CancelSignal): Promise<void> {
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

export function retryStage({
  budget = new RetryBudget(),
  connectivity,
  random = Math.random,
}: RetryStageOptions = {}): Middleware<RequestContext> {
  const succeeded = (): void => budget.earn();

  return (ctx, next) => {
    let offlineWaits = 0;
    // A then-chain rather than an async loop: the successful first attempt (nearly every
    // request) costs one promise; failures recurse at most `limit` + Limit.OfflineWaits times.
    const attempt = (): Promise<void> => next(ctx).then(succeeded, failed);
    const failed = async (error: unknown): Promise<void> => {
      if (!isAppError(error)) throw error;
      const { kind, status } = error;
      const lostNetwork = kind === 'network' || kind === 'timeout' || kind === 'offline';
      if (lostNetwork && connectivity && !connectivity.state.online) {
        if (ctx.options.offline === 'fail' || offlineWaits++ >= Limit.OfflineWaits) {
          throw offlineError(error);
        }
        await connectivity.waitForOnline(ctx.signal);
        return attempt(); // the network was gone: that attempt does not count
      }
      const { retry, idempotencyKey } = ctx.options;
      const limit = typeof retry === 'number' ? retry : retry === false ? 0 : Limit.DefaultRetries;
      const unsafe = !idempotencyKey && (ctx.method === 'POST' || ctx.method === 'PATCH');
      const retryAfter = RETRY_AFTER_STATUSES.includes(status)
        ? parseRetryAfter(ctx.response && ctx.response.header['retry-after'], Date.now())
        : NaN;
      if (
        unsafe ||
        ctx.retries >= limit ||
        !(lostNetwork || RETRY_STATUSES.includes(status)) ||
        retryAfter > Limit.MaxRetryAfterMs ||
        !budget.take() // checked last: only a retry that happens spends a token
      ) {
        throw error;
      }
      const delayMs =
        retryAfter >= 0
          ? retryAfter
          : backoffDelay(ctx.retries, { baseMs: 300, capMs: 10_000, random });
      ctx.retries++;
      await sleep(delayMs, ctx.signal);
      return attempt();
    };
    return attempt();
  };
}
