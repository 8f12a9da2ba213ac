/**
 * Identical in-flight GET/HEAD requests share one network call. Each caller is a reference:
 * aborting one rejects only that caller; the shared call is aborted when the last one leaves.
 * Other methods (POST above all) always go through on their own.
 */
import { CancelSource } from './cancel';
import { cancelledError } from './errors';
import type { Middleware } from './pipeline';
import { adoptResult, SAFE_METHODS, type RequestContext } from './request-context';

interface Shared {
  promise: Promise<void>;
  /** The first caller's context: the one the inner stages run with. */
  owner: RequestContext;
  source: CancelSource;
  refs: number;
}

/** Same method, URL (sorted query), user partition, validator and caller headers → same call. */
export function dedupeKey(ctx: RequestContext): string {
  // No JSON.stringify for the common request without headers of its own: this runs per request.
  const custom = ctx.options.header ? JSON.stringify(ctx.options.header) : '';
  return `${ctx.method} ${ctx.url} @${ctx.user} ${ctx.header['If-None-Match'] || ''} ${custom}`;
}

export function dedupeStage(): Middleware<RequestContext> {
  const inFlight = new Map<string, Shared>();
  return (ctx, next) => {
    if (!SAFE_METHODS.has(ctx.method) || ctx.options.dedupe === false) return next(ctx);
    const key = dedupeKey(ctx);
    const own = ctx.signal;
    let call = inFlight.get(key);
    if (!call) {
      // The first caller's own context runs the call (no copy on the common, unshared path).
      // While it runs it follows the shared signal, so no single subscriber can abort it.
      const source = new CancelSource();
      ctx.signal = source.signal;
      const created: Shared = { promise: next(ctx), owner: ctx, source, refs: 0 };
      // Runs before any subscriber hears of the outcome (registered first).
      const done = (): void => {
        ctx.signal = own;
        if (inFlight.get(key) === created) inFlight.delete(key);
      };
      created.promise.then(done, done);
      inFlight.set(key, created);
      call = created;
    }
    const shared = call;
    shared.refs++;
    return new Promise<void>((resolve, reject) => {
      const unsubscribe = own.onAbort((reason) => {
        reject(cancelledError(reason));
        if (--shared.refs === 0) {
          // Nobody wants it any more: free the slot and let later callers start afresh.
          if (inFlight.get(key) === shared) inFlight.delete(key);
          shared.source.cancel(reason);
        }
      });
      const settle = (answer: () => void): void => {
        // A caller that left (its signal aborted) has been answered already.
        if (own.aborted) return;
        unsubscribe();
        if (shared.owner !== ctx) adoptResult(ctx, shared.owner);
        answer();
      };
      shared.promise.then(
        () => settle(resolve),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  };
}
