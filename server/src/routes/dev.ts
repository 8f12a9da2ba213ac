import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DevStats, FaultAction, FaultRule } from '../../../typings/dev';
import { CLOSE_DROPPED } from '../chat/chat-service';
import type { AppContext } from '../context';
import { AppError, codeForStatus } from '../domain/errors';
import { envelopeOf } from '../domain/rules';
import { noQuerySchema } from './schemas';

const none = { schema: { querystring: noQuerySchema } };

export const DEV_PREFIX = '/__dev';
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export const isLoopback = (request: FastifyRequest): boolean =>
  LOOPBACK.has(request.socket.remoteAddress ?? '');

const pathOf = (request: FastifyRequest): string => request.url.split('?')[0];

const faultRuleSchema = {
  type: 'object',
  required: ['match', 'action'],
  properties: {
    match: {
      type: 'object',
      required: ['pathPrefix'],
      properties: {
        method: { type: 'string', maxLength: 10 },
        pathPrefix: { type: 'string', minLength: 1, maxLength: 200, pattern: '^/' },
      },
      additionalProperties: false,
    },
    action: {
      type: 'object',
      required: ['kind'],
      properties: {
        kind: { type: 'string', enum: ['status', 'delay', 'malformed', 'envelope', 'drop'] },
        status: { type: 'integer', minimum: 100, maximum: 599 },
        retryAfter: {
          anyOf: [
            { type: 'integer', minimum: 0 },
            { type: 'string', maxLength: 64 },
          ],
        },
        body: {},
        ms: { type: 'integer', minimum: 0, maximum: 60_000 },
        errorCode: { type: 'string', minLength: 1, maxLength: 60 },
        errorMessage: { type: 'string', maxLength: 500 },
        showType: { type: 'integer', enum: [0, 1, 2, 4, 9] },
      },
      additionalProperties: false,
    },
    count: { type: 'integer', minimum: 1, maximum: 100_000 },
  },
  additionalProperties: false,
} as const;

function checkAction(action: FaultAction): void {
  const need = (ok: boolean, message: string) => {
    if (!ok) throw new AppError('BAD_REQUEST', message);
  };
  if (action.kind === 'status')
    need(typeof action.status === 'number', 'status action needs status');
  if (action.kind === 'delay') need(typeof action.ms === 'number', 'delay action needs ms');
  if (action.kind === 'envelope') {
    need(
      typeof action.errorCode === 'string' && typeof action.errorMessage === 'string',
      'envelope action needs errorCode and errorMessage',
    );
  }
}

/** Counters and faults apply to every route except /__dev itself. Installed on the root. */
export function installDevHooks(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request);
    if (path.startsWith(DEV_PREFIX)) return;
    ctx.counters.request(request.method, path, request.headers['if-none-match'] !== undefined);
    const action = ctx.faults.take(request.method, path);
    if (action) await applyFault(action, request, reply);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 304) ctx.counters.notModified(pathOf(request));
  });
}

async function applyFault(
  action: FaultAction,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  request.log.info({ fault: action.kind }, 'injected fault');
  switch (action.kind) {
    case 'delay':
      await sleep(action.ms);
      return;
    case 'drop':
      reply.hijack();
      request.raw.socket.destroy();
      return;
    case 'malformed':
      await reply
        .code(200)
        .type('application/json; charset=utf-8')
        .send('{"success":true,"data":{"list":[');
      return;
    case 'status': {
      if (action.retryAfter !== undefined) reply.header('retry-after', String(action.retryAfter));
      const body = action.body ?? {
        success: false,
        errorCode: codeForStatus(action.status),
        errorMessage: `Injected HTTP ${action.status}`,
        showType: 2,
        traceId: request.id,
      };
      await reply.code(action.status).send(body);
      return;
    }
    case 'envelope':
      await reply.code(action.status ?? 200).send({
        success: false,
        errorCode: action.errorCode,
        errorMessage: action.errorMessage,
        showType: action.showType ?? 2,
        traceId: request.id,
      });
      return;
  }
}

/** /__dev/*: development only, loopback only. */
export async function devRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.addHook('onRequest', async (request) => {
    if (!isLoopback(request)) {
      throw new AppError('FORBIDDEN', 'Development routes answer loopback clients only');
    }
  });

  app.post<{ Body: FaultRule }>(
    '/faults',
    { schema: { body: faultRuleSchema } },
    async (request) => {
      checkAction(request.body.action);
      return envelopeOf({ id: ctx.faults.add(request.body) }, request.id);
    },
  );
  app.delete('/faults', none, async (request) => {
    ctx.faults.clear();
    return envelopeOf({ cleared: true }, request.id);
  });
  app.post('/sessions/expire', none, async (request) =>
    envelopeOf({ expired: await ctx.auth.expireAll() }, request.id),
  );
  app.post('/chat/drop', none, async (request) =>
    envelopeOf(
      { dropped: ctx.chat.dropAll(CLOSE_DROPPED, 'dropped by /__dev/chat/drop') },
      request.id,
    ),
  );
  app.get('/stats', none, async (request) =>
    envelopeOf<DevStats>(ctx.counters.snapshot(), request.id),
  );
  app.post('/reset', none, async (request) => {
    ctx.counters.reset();
    return envelopeOf({ reset: true }, request.id);
  });
}
