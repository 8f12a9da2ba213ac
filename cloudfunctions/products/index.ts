import type { PageResult, Product, ProductDetail } from '../../typings/api';
import { AppError, notFound } from '../../server/src/domain/errors';
import {
  normalizeProductQuery,
  pageResult,
  validateProductId,
} from '../../server/src/domain/rules';
import {
  findDoc,
  type CloudDeps,
  type DocumentData,
  type WhereCondition,
} from '../common/database';
import { envelopeHandler, platformDeps, type CloudEvent } from '../common/handler';

const toProduct = (doc: DocumentData): Product => ({
  id: doc.id as string,
  title: doc.title as string,
  category: doc.category as Product['category'],
  price: doc.price as number,
  imageUrl: doc.imageUrl as string,
  description: doc.description as string,
  createdAt: doc.createdAt as number,
});

/** `products`: { action: 'list', current, pageSize, q, category } | { action: 'detail', id }. */
export function createProducts(deps: CloudDeps) {
  return envelopeHandler<PageResult<Product> | ProductDetail>(
    deps,
    async (event: CloudEvent, { db, openId }) => {
      const products = db.collection('products');
      if (event.action === 'list') {
        // Same validation and paging as GET /api/products (one shared module).
        const query = normalizeProductQuery({
          current: event.current,
          pageSize: event.pageSize,
          q: event.q,
          category: event.category,
        });
        const where: WhereCondition = {};
        if (query.category) where.category = query.category;
        if (query.q) where.titleLower = db.RegExp({ regexp: escapeRegExp(query.q), options: 'i' });
        const [page, count] = await Promise.all([
          products
            .where(where)
            .orderBy('seq', 'asc')
            .skip(query.offset)
            .limit(query.pageSize)
            .get(),
          products.where(where).count(),
        ]);
        return pageResult(page.data.map(toProduct), query, count.total);
      }
      if (event.action === 'detail') {
        const id = validateProductId(event.id);
        const doc = await findDoc(products, id);
        if (!doc) throw notFound(`Product ${id}`);
        const favorite = await findDoc(db.collection('favorites'), `${openId()}:${id}`);
        return { ...toProduct(doc), favorite: favorite !== undefined };
      }
      throw new AppError('BAD_REQUEST', 'action must be "list" or "detail"');
    },
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const main = (event: CloudEvent) => createProducts(platformDeps())(event);
