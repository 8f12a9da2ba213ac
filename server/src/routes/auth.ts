import type { FastifyInstance } from 'fastify';
import type { LoginReply, LoginRequest, LogoutReply, MeReply } from '../../../typings/api';
import { CLOSE_UNAUTHORIZED } from '../chat/chat-service';
import type { AppContext } from '../context';
import { envelopeOf, validateLoginCode } from '../domain/rules';
import { authOf } from '../http/auth-hook';
import { noQuerySchema } from './schemas';

/** POST /api/auth/login: public, rate limited per client address. */
export function loginRoute(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: LoginRequest }>(
    '/api/auth/login',
    {
      config: {
        rateLimit: {
          max: ctx.options.loginRateLimit.max,
          timeWindow: ctx.options.loginRateLimit.windowMs,
        },
      },
      bodyLimit: 4 * 1024,
      schema: {
        body: {
          type: 'object',
          required: ['code'],
          properties: { code: { type: 'string', minLength: 1, maxLength: 128 } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const reply = await ctx.auth.login(validateLoginCode(request.body.code));
      ctx.counters.login();
      return envelopeOf<LoginReply>(reply, request.id);
    },
  );
}

/** Routes for an authenticated user's own session. */
export function sessionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/auth/logout',
    { bodyLimit: 1024, schema: { querystring: noQuerySchema } },
    async (request) => {
      const { tokenHash } = authOf(request);
      const revoked = await ctx.auth.logout(tokenHash);
      // A revoked token must not keep a chat socket it opened.
      ctx.chat.closeSession(tokenHash, CLOSE_UNAUTHORIZED, 'logged out');
      return envelopeOf<LogoutReply>({ revoked }, request.id);
    },
  );
  app.get('/api/me', { schema: { querystring: noQuerySchema } }, async (request) =>
    envelopeOf<MeReply>(authOf(request).user, request.id),
  );
}
