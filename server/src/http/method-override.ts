import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../domain/errors';

/**
 * wx.request has no PATCH: the app's transport sends POST with `X-HTTP-Method-Override: PATCH`.
 * Only a POST is tunnelled, and only to a method that changes state like POST does; a POST never
 * becomes a GET/HEAD (that would let a form post read through caches and skip body checks).
 */
const HEADER = 'x-http-method-override';
const TUNNELLED = new Set(['PATCH', 'PUT', 'DELETE']);

function overrideOf(req: IncomingMessage): string | undefined {
  const value = req.headers[HEADER];
  return typeof value === 'string' ? value.trim().toUpperCase() : undefined;
}

/**
 * Fastify `rewriteUrl`: runs before routing, so changing the method here picks the route.
 * Returns the url unchanged (rewriteUrl must return one).
 */
export function applyMethodOverride(req: IncomingMessage): string {
  if (req.method === 'POST') {
    const override = overrideOf(req);
    if (override !== undefined && TUNNELLED.has(override)) req.method = override;
  }
  return req.url ?? '/';
}

/** A POST still a POST but carrying the header asked for something not allowed: say so. */
export function installMethodOverrideCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.raw.method !== 'POST') return;
    const override = overrideOf(request.raw);
    if (override === undefined || override === 'POST') return;
    throw new AppError(
      'BAD_REQUEST',
      `X-HTTP-Method-Override on a POST must be one of ${[...TUNNELLED].join(', ')}`,
    );
  });
}
