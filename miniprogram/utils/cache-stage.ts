/**
 * Pipeline stage in front of the network for GET with `cache` options:
 * fresh entry → served ('hit'); stale but within the request's SWR window → served at once and
 * revalidated in the background, `onUpdate` gets the fresh data once; otherwise fetched with
 * If-None-Match when an ETag is known (a 304 refreshes the entry: 'revalidated').
 * Successful mutations invalidate their collection path plus what `invalidate` names.
 */
import { linkSignalsDisposable } from './cancel';
import { buildCacheKey, type CacheEntry, type ResponseCache } from './cache';
import { collectionPath } from './endpoint';
import { AppError } from './errors';
import type { Middleware, Next } from './pipeline';
import {
  forkContext,
  SAFE_METHODS,
  type CacheOptions,
  type RequestContext,
} from './request-context';

export interface CacheStageOptions {
  /** The client's clock (Date.now in the app, a fake one in tests). */
  now: () => number;
}

export function cacheStage(
  cache: ResponseCache,
  { now }: CacheStageOptions,
): Middleware<RequestContext> {
  /** Runs the request (revalidating `entry` by its ETag) and stores what it brings. */
  async function fetchInto(
    ctx: RequestContext,
    next: Next<RequestContext>,
    { ttl, tags = [] }: CacheOptions,
    entry?: CacheEntry,
  ): Promise<void> {
    if (entry && entry.etag) ctx.header['If-None-Match'] = entry.etag;
    await next(ctx);
    // A 304 keeps the entry's data and ETag; anything else brings its own.
    const kept = ctx.notModified
      ? entry
      : { data: ctx.data, etag: ctx.response && ctx.response.header['etag'] };
    if (!kept) {
      throw new AppError({ kind: 'http', status: 304, message: '304 without a cached entry' });
    }
    ctx.cache = ctx.notModified ? 'revalidated' : 'miss';
    ctx.data = kept.data;
    // Keyed by the user the request ended up with (the session stage may have just logged in).
    const { path, user } = ctx;
    cache.set({ ...kept, key: buildCacheKey(ctx), user, path, tags, expiresAt: now() + ttl });
  }

  // Not async: requests that bypass the cache pay no extra promise.
  return (ctx, next) => {
    const options = ctx.options.cache;
    if (!SAFE_METHODS.has(ctx.method)) return mutate(ctx, next);
    // Only GET is cached; anything else keeps the 'bypass' every context starts with.
    return options && ctx.method === 'GET' ? cached(ctx, next, options) : next(ctx);
  };

  async function mutate(ctx: RequestContext, next: Next<RequestContext>): Promise<void> {
    await next(ctx);
    const { prefixes = [], tags } = ctx.options.invalidate || {};
    // Every partition: the server data changed for all (e.g. a public list of what was edited).
    cache.invalidate([collectionPath(ctx.path), ...prefixes], tags);
  }

  async function cached(
    ctx: RequestContext,
    next: Next<RequestContext>,
    options: CacheOptions,
  ): Promise<void> {
    const entry = cache.get(buildCacheKey(ctx));
    const { swr, onUpdate } = options;
    const staleFor = entry ? now() - entry.expiresAt : -1;
    if (entry && (staleFor < 0 || swr === true || staleFor < Number(swr))) {
      ctx.data = entry.data;
      ctx.cache = 'hit';
      if (staleFor < 0) return;
      // Stale within the SWR window (`true`: any age): revalidate in the background. That run
      // follows the caller's page and session (unload/logout cancel it), not the caller's
      // request, which is already answered. Its failures stay there: the cached data stands.
      const link = linkSignalsDisposable(...ctx.lifetime);
      const background = forkContext(ctx, link.source.signal);
      fetchInto(background, next, options, entry)
        .then(
          () => background.cache === 'miss' && onUpdate && onUpdate(background.data),
          () => undefined,
        )
        .finally(link.dispose);
      return;
    }
    await fetchInto(ctx, next, options, entry);
  }
}
