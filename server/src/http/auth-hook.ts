import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { AuthService, AuthenticatedUser } from '../auth/auth-service';
import { bearerToken } from '../auth/tokens';
import { AppError } from '../domain/errors';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthenticatedUser;
  }
}

/** onRequest hook for the authenticated scope: runs before the body is read. */
export function authHook(auth: AuthService): onRequestAsyncHookHandler {
  return async (request) => {
    request.auth = await auth.authenticate(bearerToken(request.headers.authorization));
  };
}

export function authOf(request: FastifyRequest): AuthenticatedUser {
  if (!request.auth) throw new AppError('UNAUTHORIZED', 'Missing bearer token');
  return request.auth;
}
