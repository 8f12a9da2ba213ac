/**
 * Pipeline stage in front of the network for GET with `cache` options:
 * fresh entry → served ('hit'); stale within the SWR window → served at once and revalidated in
 * the background, `onUpdate` gets the fresh data once; otherwise fetched with If-None-Match when
 * an ETag is known (a 304 refreshes the entry: 'revalidated'). Successful mutations invalidate
 * their collection path plus what `invalidate` names.
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
  now?: () => number;
  /** Errors of background revalidations (they never reach the caller). */
  onBackgroundError?: (error: unknown) => void;
}

export function cacheStage(
  cache: ResponseCache,
  { now = Date.now, onBackgroundError }: CacheStageOptions = {},
): Middleware<RequestContext> {
  async function fetchInto(
    ctx: RequestContext,
    next: Next<RequestContext>,
    entry: CacheEntry | undefined,
    cacheOptions: CacheOptions,
  ): Promise<void> {
    if (entry && entry.etag) ctx.header['If-None-Match'] = entry.etag;
    await next(ctx);
    const at = now();
    const { ttl, swr } = cacheOptions;
    const times = {
      storedAt: at,
      expiresAt: at + ttl,
      // Stale data may be served until: forever (swr: true), for `swr` ms more, or not at all.
      staleUntil: swr === true ? Number.MAX_SAFE_INTEGER : at + ttl + (swr || 0),
    };
    if (ctx.notModified) {
      if (!entry)
        throw new AppError({ kind: 'http', status: 304, message: '304 without a cached entry' });
      ctx.data = entry.data;
      ctx.cache = 'revalidated';
      cache.set({ ...entry, ...times });
      return;
    }
    ctx.cache = 'miss';
    cache.set({
      v: 1,
      key: buildCacheKey(ctx.method, ctx.path, ctx.body, ctx.user),
      user: ctx.user,
      path: ctx.path,
      tags: cacheOptions.tags || [],
      data: ctx.data,
      etag: ctx.response && ctx.response.header['etag'],
      ...times,
    });
  }

  async function mutate(ctx: RequestContext, next: Next<RequestContext>): Promise<void> {
    await next(ctx);
    const { prefixes = [], tags } = ctx.options.invalidate || {};
    // Every partition: the server data changed for all (e.g. a public list of what was edited).
    cache.invalidate({ prefixes: [collectionPath(ctx.path), ...prefixes], tags });
  }

  // Not async: requests that bypass the cache pay no extra promise.
  return (ctx, next) => {
    if (!SAFE_METHODS.has(ctx.method)) return mutate(ctx, next);
    if (!ctx.options.cache || ctx.method !== 'GET') {
      ctx.cache = 'bypass';
      return next(ctx);
    }
    return cached(ctx, next, ctx.options.cache);
  };

  async function cached(
    ctx: RequestContext,
    next: Next<RequestContext>,
    cacheOptions: CacheOptions,
  ): Promise<void> {
    const key = buildCacheKey(ctx.method, ctx.path, ctx.body, ctx.user);
    const entry = cache.get(key);
    const at = now();
    if (entry && at < entry.expiresAt) {
      ctx.data = entry.data;
      ctx.cache = 'hit';
      return;
    }
    if (entry && cacheOptions.swr && at < entry.staleUntil) {
      ctx.data = entry.data;
      ctx.cache = 'hit';
      // The background run follows the caller's page and session (unload/logout cancel it),
      // not the caller's request, which is already answered.
      const link = linkSignalsDisposable(...ctx.lifetime);
      const background = forkContext(ctx, link.source.signal);
      fetchInto(background, next, entry, cacheOptions)
        .then(
          () => {
            if (background.cache === 'miss' && cacheOptions.onUpdate) {
              cacheOptions.onUpdate(background.data);
            }
          },
          (error: unknown) => onBackgroundError && onBackgroundError(error),
        )
        .finally(link.dispose);
      return;
    }
    await fetchInto(ctx, next, entry, cacheOptions);
  }
}
