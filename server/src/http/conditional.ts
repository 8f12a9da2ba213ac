import type { FastifyReply, FastifyRequest } from 'fastify';

export { etagFor } from '../domain/etag';

const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');

/** Weak comparison as If-None-Match requires (RFC 9110 §13.1.2). */
export function matchesIfNoneMatch(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  if (header.trim() === '*') return true;
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === wanted);
}

/** Sets ETag + Cache-Control; answers 304 (no body) when the client already has this version. */
export function sendCacheable(
  request: FastifyRequest,
  reply: FastifyReply,
  etag: string,
  cacheControl: string,
  body: () => unknown,
): FastifyReply {
  reply.header('etag', etag).header('cache-control', cacheControl);
  if (matchesIfNoneMatch(request, etag)) return reply.code(304).send();
  return reply.send(body());
}
