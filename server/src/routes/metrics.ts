import type { FastifyInstance } from 'fastify';
import type { MetricsBatch, MetricsSummary } from '../../../typings/api';
import type { AppContext } from '../context';
import { envelopeOf } from '../domain/rules';
import { noQuerySchema } from './schemas';

const MAX_ITEMS = 200;
const MAX_BODY = 256 * 1024;

const metricItemSchema = {
  type: 'object',
  required: ['endpoint', 'method', 'status', 'ok', 'totalMs', 'at'],
  properties: {
    endpoint: { type: 'string', minLength: 1, maxLength: 200 },
    method: { type: 'string', minLength: 1, maxLength: 10 },
    status: { type: 'integer', minimum: 0, maximum: 999 },
    ok: { type: 'boolean' },
    errorKind: { type: 'string', maxLength: 40 },
    queueMs: { type: 'number', minimum: 0 },
    loginMs: { type: 'number', minimum: 0 },
    networkMs: { type: 'number', minimum: 0 },
    totalMs: { type: 'number', minimum: 0, maximum: 3_600_000 },
    bytes: { type: 'number', minimum: 0 },
    cache: { type: 'string', enum: ['hit', 'miss', 'revalidated', 'bypass'] },
    retries: { type: 'integer', minimum: 0, maximum: 100 },
    at: { type: 'number', minimum: 0 },
  },
  additionalProperties: false,
} as const;

export function metricsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: MetricsBatch }>(
    '/api/metrics',
    {
      bodyLimit: MAX_BODY,
      schema: {
        body: {
          type: 'object',
          required: ['app', 'items'],
          properties: {
            app: {
              type: 'object',
              required: ['version'],
              properties: {
                version: { type: 'string', minLength: 1, maxLength: 40 },
                platform: { type: 'string', maxLength: 40 },
              },
              additionalProperties: false,
            },
            items: { type: 'array', maxItems: MAX_ITEMS, items: metricItemSchema },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => envelopeOf({ accepted: ctx.metrics.add(request.body) }, request.id),
  );

  app.get('/api/metrics/summary', { schema: { querystring: noQuerySchema } }, async (request) =>
    envelopeOf<MetricsSummary>(ctx.metrics.summary(), request.id),
  );
}
