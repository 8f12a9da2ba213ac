import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';
import { notFound } from '../domain/errors';
import { sendCacheable } from '../http/conditional';

/** Public (no auth): an <image> tag cannot send a token. Immutable per name, so cache long. */
const IMAGE_CACHE = 'public, max-age=86400';

export function imageRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { name: string } }>(
    '/images/products/:name',
    {
      schema: {
        params: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', pattern: '^p[0-9]{3,6}\\.png$' } },
        },
      },
    },
    async (request, reply) => {
      const id = request.params.name.slice(0, -'.png'.length);
      if (!(await ctx.repos.products.get(id))) throw notFound(`Image ${request.params.name}`);
      const image = ctx.images.get(`product:${id}`);
      reply.type('image/png');
      return sendCacheable(request, reply, image.etag, IMAGE_CACHE, () => image.bytes);
    },
  );

  app.get<{ Params: { name: string } }>(
    '/images/avatars/:name',
    {
      schema: {
        params: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_%-]{1,80}\\.png$' } },
        },
      },
    },
    async (request, reply) => {
      const image = ctx.images.get(`avatar:${request.params.name}`);
      reply.type('image/png');
      return sendCacheable(request, reply, image.etag, IMAGE_CACHE, () => image.bytes);
    },
  );
}
