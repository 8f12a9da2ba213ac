import type { FastifyInstance } from 'fastify';
import type {
  Favorite,
  FavoriteRemoved,
  FavoriteRequest,
  PageQuery,
  PageResult,
} from '../../../typings/api';
import type { AppContext } from '../context';
import { envelopeOf, validateIdempotencyKey } from '../domain/rules';
import { authOf } from '../http/auth-hook';
import { idempotencyHeaderSchema, pageQuerySchema, productIdSchema } from './schemas';

export function favoriteRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: FavoriteRequest; Headers: { 'idempotency-key'?: string } }>(
    '/api/favorites',
    {
      bodyLimit: 1024,
      schema: {
        headers: idempotencyHeaderSchema,
        body: {
          type: 'object',
          required: ['productId'],
          properties: { productId: productIdSchema },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const key = validateIdempotencyKey(request.headers['idempotency-key']);
      const outcome = await ctx.favorites.add(authOf(request).user.id, request.body.productId, key);
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      return envelopeOf<Favorite>(outcome.favorite, request.id);
    },
  );

  app.delete<{ Params: { productId: string } }>(
    '/api/favorites/:productId',
    {
      schema: {
        params: {
          type: 'object',
          required: ['productId'],
          properties: { productId: productIdSchema },
        },
      },
    },
    async (request) =>
      envelopeOf<FavoriteRemoved>(
        await ctx.favorites.remove(authOf(request).user.id, request.params.productId),
        request.id,
      ),
  );

  app.get<{ Querystring: PageQuery }>(
    '/api/favorites',
    { schema: { querystring: pageQuerySchema } },
    async (request) =>
      envelopeOf<PageResult<Favorite>>(
        await ctx.favorites.list(authOf(request).user.id, request.query),
        request.id,
      ),
  );
}
