import type { PageResult, Product, ProductDetail } from '../../../typings/api';
import { notFound } from '../domain/errors';
import { etagFor } from '../domain/etag';
import {
  normalizeProductQuery,
  pageResult,
  productQueryKey,
  validateProductId,
  type RawPageInput,
} from '../domain/rules';
import type { Repositories } from '../repositories/types';

export interface ProductPage {
  page: PageResult<Product>;
  etag: string;
  /** `page` serialised once: a hot list is not re-stringified on every request. */
  json: string;
}

const CACHE_LIMIT = 500;

/**
 * Product reads. The catalogue only changes through migrations/seeding, so computed pages are
 * memoised (bounded, oldest out first) along with their ETag.
 */
export class ProductService {
  private readonly pages = new Map<string, ProductPage>();

  constructor(private readonly repos: Repositories) {}

  async list(input: RawPageInput & { q?: unknown; category?: unknown }): Promise<ProductPage> {
    const query = normalizeProductQuery(input);
    const key = productQueryKey(query);
    const cached = this.pages.get(key);
    if (cached) return cached;
    const { list, total } = await this.repos.products.list({
      q: query.q,
      category: query.category,
      offset: query.offset,
      limit: query.pageSize,
    });
    const page = pageResult(list, query, total);
    const result = { page, etag: etagFor(page), json: JSON.stringify(page) };
    if (this.pages.size >= CACHE_LIMIT) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    this.pages.set(key, result);
    return result;
  }

  async detail(id: string, userId: string): Promise<ProductDetail> {
    const product = await this.repos.products.get(validateProductId(id));
    if (!product) throw notFound(`Product ${id}`);
    return { ...product, favorite: await this.repos.favorites.has(userId, product.id) };
  }
}
