import type { FastifyInstance } from 'fastify';
import type { PageResult, Product, ProductDetail, ProductQuery } from '../../../typings/api';
import type { AppContext } from '../context';
import { MAX_QUERY_LENGTH, PRODUCT_CATEGORIES, envelopeOf } from '../domain/rules';
import { serialisedEnvelope } from '../http/serialised-envelope';
import { authOf } from '../http/auth-hook';
import { sendCacheable, etagFor } from '../http/conditional';
import { pageQuerySchema, productIdSchema } from './schemas';

/** Lists change only with the catalogue: cache briefly, then revalidate with the ETag. */
const LIST_CACHE = 'private, max-age=10, must-revalidate';
/** The detail carries the user's favorite flag, so always revalidate. */
const DETAIL_CACHE = 'private, no-cache';

export function productRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: ProductQuery }>(
    '/api/products',
    {
      schema: {
        querystring: {
          ...pageQuerySchema,
          properties: {
            ...pageQuerySchema.properties,
            q: { type: 'string', maxLength: MAX_QUERY_LENGTH },
            category: { type: 'string', enum: [...PRODUCT_CATEGORIES] },
          },
        },
      },
    },
    async (request, reply) => {
      const { json, etag } = await ctx.products.list(request.query);
      return sendCacheable(request, reply, etag, LIST_CACHE, () => {
        reply.type('application/json; charset=utf-8');
        return serialisedEnvelope<PageResult<Product>>(json, request.id);
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/products/:id',
    {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: productIdSchema } },
      },
    },
    async (request, reply) => {
      const detail = await ctx.products.detail(request.params.id, authOf(request).user.id);
      return sendCacheable(request, reply, etagFor(detail), DETAIL_CACHE, () =>
        envelopeOf<ProductDetail>(detail, request.id),
      );
    },
  );
}
