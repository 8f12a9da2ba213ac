/**
 * Favorite endpoints. Adding/removing goes through the offline outbox with an idempotency key,
 * so a toggle made offline is replayed exactly once when the network is back.
 */
import type { Favorite, FavoriteRemoved, PageResult } from '../../typings/api';
import type { HttpRequestOptions } from '../utils/contracts';
import { apiHttp } from './client';

export function listFavorites(current = 1, pageSize = 50): Promise<PageResult<Favorite>> {
  return apiHttp().request<PageResult<Favorite>>({
    url: '/api/favorites',
    params: { current, pageSize },
    skipErrorHandler: true,
  });
}

export type FavoriteMutation = HttpRequestOptions & { idempotencyKey: string };

/** The request that makes `productId` a favorite (`on`) or not; the outbox sends or queues it. */
export function favoriteMutation(
  productId: string,
  on: boolean,
  idempotencyKey: string,
): FavoriteMutation {
  return on
    ? { method: 'POST', url: '/api/favorites', data: { productId }, idempotencyKey }
    : {
        method: 'DELETE',
        url: `/api/favorites/${encodeURIComponent(productId)}`,
        idempotencyKey,
      };
}

export type FavoriteReply = Favorite | FavoriteRemoved;
