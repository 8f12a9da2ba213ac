import type { FastifyInstance } from 'fastify';
import type { Health } from '../../../typings/api';
import type { AppContext } from '../context';
import { envelopeOf } from '../domain/rules';

const started = Date.now();

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/health',
    { schema: { querystring: { type: 'object', maxProperties: 0 } } },
    async (request) =>
      envelopeOf<Health>(
        { ok: true, version: ctx.options.version, uptimeMs: Date.now() - started },
        request.id,
      ),
  );
}
