/**
 * Identical in-flight GET/HEAD requests share one network call. Each caller is a reference:
 * aborting one rejects only that caller; the shared call is aborted when the last one leaves.
 * Other methods (POST above all) always go through on their own.
 */
import { CancelSource } from './cancel';
import { cancelledError } from './errors';
import type { Middleware, Next } from './pipeline';
import { adoptResult, SAFE_METHODS, type RequestContext } from './request-context';

interface Shared {
  promise: Promise<void>;
  result: RequestContext;
  source: CancelSource;
  refs: number;
}

/** Same method, URL (sorted query), user partition, validator and caller headers → same call. */
export function dedupeKey(ctx: RequestContext): string {
  const custom = ctx.options.header ? JSON.stringify(ctx.options.header) : '';
  return `${ctx.method} ${ctx.url} @${ctx.user} ${ctx.header['If-None-Match'] || ''} ${custom}`;
}

export function dedupeStage(): Middleware<RequestContext> & { readonly inFlight: number } {
  const shared = new Map<string, Shared>();
  const stage = ((ctx, next) =>
    !SAFE_METHODS.has(ctx.method) || ctx.options.dedupe === false
      ? next(ctx)
      : subscribe(ctx, next)) as Middleware<RequestContext> & { readonly inFlight: number };

  function subscribe(ctx: RequestContext, next: Next<RequestContext>): Promise<void> {
    const key = dedupeKey(ctx);
    const own = ctx.signal;
    let call = shared.get(key);
    if (!call) {
      // The first caller's own context runs the call (no copy on the common, unshared path).
      // While it runs it follows the shared signal, so no single subscriber can abort it.
      const source = new CancelSource();
      ctx.signal = source.signal;
      // cleanup runs only after `created` exists (a then callback is never synchronous).
      const cleanup = (): void => {
        ctx.signal = own;
        if (shared.get(key) === created) shared.delete(key);
      };
      const created: Shared = {
        promise: next(ctx).then(cleanup, (error: unknown) => {
          cleanup();
          throw error;
        }),
        result: ctx,
        source,
        refs: 0,
      };
      shared.set(key, created);
      call = created;
    }
    const current = call;
    current.refs++;
    return new Promise<void>((resolve, reject) => {
      let left = false;
      const unsubscribe = own.onAbort((reason) => {
        if (left) return;
        left = true;
        reject(cancelledError(reason));
        if (--current.refs === 0) {
          // Nobody wants it any more: free the slot and let later callers start afresh.
          if (shared.get(key) === current) shared.delete(key);
          current.source.cancel(reason);
        }
      });
      const settle = (error?: unknown, failed = false): void => {
        if (left) return;
        left = true;
        unsubscribe();
        if (current.result !== ctx) adoptResult(ctx, current.result);
        if (failed) reject(error);
        else resolve();
      };
      current.promise.then(
        () => settle(),
        (error: unknown) => settle(error, true),
      );
    });
  }

  Object.defineProperty(stage, 'inFlight', { get: () => shared.size });
  return stage;
}
