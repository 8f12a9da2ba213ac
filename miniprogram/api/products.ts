/** Product endpoints: a cached, revalidated list and the detail of one product. */
import type { PageResult, Product, ProductDetail, ProductQuery } from '../../typings/api';
import type { CancelSignal } from '../utils/cancel';
import { apiHttp } from './client';

export interface ListProductsOptions {
  signal?: CancelSignal;
  /** Fresh data after a cached answer (stale-while-revalidate). */
  onUpdate?: (fresh: PageResult<Product>) => void;
  /** Pull-down refresh: skip the cached answer and do not share an older request. */
  fresh?: boolean;
  /** The caller shows the failure itself (an empty list's error state): no toast. */
  silent?: boolean;
}

/** Longest search text the server accepts. */
export const MAX_QUERY_LENGTH = 50;

export function listProducts(
  query: ProductQuery,
  options: ListProductsOptions = {},
): Promise<PageResult<Product>> {
  const q = query.q?.trim().slice(0, MAX_QUERY_LENGTH) || undefined;
  // Only page 1 comes from the cache: a stale page 2 next to a fresh page 1 (the server changed
  // in between) would show gaps or duplicates, and it would answer a reach-bottom without
  // asking the server at all.
  const cached = !options.fresh && query.current === 1;
  return apiHttp().request<PageResult<Product>>({
    url: '/api/products',
    params: { current: query.current, pageSize: query.pageSize, q, category: query.category },
    signal: options.signal,
    skipErrorHandler: options.silent,
    dedupe: options.fresh ? false : undefined,
    // ttl 0 + swr: a cached answer paints at once and is always revalidated (ETag → 304). The
    // cache key holds the query string, so each category and search has its own entry.
    cache: cached ? { ttl: 0, swr: true, onUpdate: options.onUpdate } : undefined,
  });
}

export interface GetProductOptions {
  signal?: CancelSignal;
  /** The caller shows the failure itself (a detail page with nothing on it): no toast. */
  silent?: boolean;
}

export function getProduct(id: string, options: GetProductOptions = {}): Promise<ProductDetail> {
  return apiHttp().request<ProductDetail>({
    url: `/api/products/${encodeURIComponent(id)}`,
    signal: options.signal,
    skipErrorHandler: options.silent,
  });
}
