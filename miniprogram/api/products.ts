/** Product endpoints: a cached, revalidated list and the detail of one product. */
import type { PageResult, Product, ProductDetail, ProductQuery } from '../../typings/api';
import type { CancelSignal } from '../utils/cancel';
import { apiHttp } from './client';

export interface ListProductsOptions {
  signal?: CancelSignal;
  /** Fresh data after a cached answer (stale-while-revalidate). */
  onUpdate?: (fresh: PageResult<Product>) => void;
  /** Pull-down refresh: skip the cached answer. */
  fresh?: boolean;
}

/** Longest search text the server accepts. */
export const MAX_QUERY_LENGTH = 50;

export function listProducts(
  query: ProductQuery,
  options: ListProductsOptions = {},
): Promise<PageResult<Product>> {
  const q = query.q?.trim().slice(0, MAX_QUERY_LENGTH) || undefined;
  return apiHttp().request<PageResult<Product>>({
    url: '/api/products',
    params: { current: query.current, pageSize: query.pageSize, q, category: query.category },
    signal: options.signal,
    // The list shows its own empty/error/offline states instead of a toast.
    skipErrorHandler: true,
    cache: options.fresh ? undefined : { ttl: 30_000, swr: true, onUpdate: options.onUpdate },
  });
}

export function getProduct(id: string, signal?: CancelSignal): Promise<ProductDetail> {
  return apiHttp().request<ProductDetail>({
    url: `/api/products/${encodeURIComponent(id)}`,
    signal,
  });
}
