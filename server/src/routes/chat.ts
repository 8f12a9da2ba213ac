import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { ChatHistory, ChatHistoryQuery } from '../../../typings/api';
import { bearerToken } from '../auth/tokens';
import { CLOSE_UNAUTHORIZED, type ChatConnection } from '../chat/chat-service';
import type { AppContext } from '../context';
import { AppError } from '../domain/errors';
import { envelopeOf } from '../domain/rules';
import { authOf } from '../http/auth-hook';

const CLOSE_INTERNAL_ERROR = 1011;
const CLOSE_POLICY_VIOLATION = 1008;

/** GET /api/chat/messages (authenticated scope). */
export function chatHistoryRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: ChatHistoryQuery }>(
    '/api/chat/messages',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            beforeId: { type: 'integer', minimum: 1 },
            limit: { type: 'integer', minimum: 1, maximum: 100 },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      authOf(request);
      return envelopeOf<ChatHistory>(await ctx.chat.history(request.query), request.id);
    },
  );
}

/**
 * WS /ws/chat. Authentication happens after the upgrade so a refused client learns why from the
 * close code (4401) — a browser-style WebSocket cannot read an HTTP 401. Connection attempts are
 * rate limited per address before the upgrade (HTTP 429): each one costs a token lookup, and a
 * client reconnecting in a tight loop must not be able to flood the server.
 */
export function chatSocketRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { token?: string } }>(
    '/ws/chat',
    {
      websocket: true,
      config: {
        rateLimit: {
          max: ctx.options.chatConnectRateLimit.max,
          timeWindow: ctx.options.chatConnectRateLimit.windowMs,
        },
      },
      schema: {
        querystring: {
          type: 'object',
          properties: { token: { type: 'string', maxLength: 256 } },
        },
      },
    },
    (socket, request) => {
      let connection: ChatConnection | undefined;
      // Frames that arrive while the token is being checked wait, in order; no more than the
      // rate limit's burst would accept, so an unauthenticated client cannot make us buffer.
      const early: Array<[string, boolean]> = [];
      socket.on('message', (data, isBinary) => {
        const text = Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.concat(data as Buffer[]).toString('utf8');
        if (connection) void connection.receive(text, isBinary);
        else if (early.length < ctx.options.chat.burst) early.push([text, isBinary]);
        else if (socket.readyState === socket.OPEN) {
          early.length = 0;
          socket.close(CLOSE_POLICY_VIOLATION, 'too many frames before authentication');
        }
      });
      socket.on('close', () => connection?.detach());
      socket.on('error', (error) => request.log.info({ err: error }, 'chat socket error'));
      const token = bearerToken(request.headers.authorization) ?? request.query.token;
      ctx.auth
        .authenticate(token)
        .then(
          async ({ user, tokenHash, expiresAt }) => {
            if (socket.readyState !== socket.OPEN) return;
            const peerUser = { id: user.id, nickname: user.nickname };
            const write = coalescingWriter(socket, request.raw.socket);
            connection = ctx.chat.attach({
              user: peerUser,
              session: { tokenHash, expiresAt },
              send: (frame) => write(JSON.stringify(frame)),
              sendText: write,
              close: (code, reason) => socket.close(code, reason),
              bufferedAmount: () => socket.bufferedAmount,
            });
            socket.send(
              JSON.stringify({ type: 'hello', user: peerUser, lastId: await ctx.chat.lastId() }),
            );
            for (const [text, isBinary] of early.splice(0)) void connection.receive(text, isBinary);
          },
          (error: unknown) => {
            const reason =
              error instanceof AppError && error.code === 'SESSION_EXPIRED'
                ? 'session expired'
                : 'unauthorized';
            socket.close(CLOSE_UNAUTHORIZED, reason);
          },
        )
        // The welcome itself failed (storage error): say so rather than leave a silent socket.
        .catch((error: unknown) => {
          request.log.error({ err: error }, 'chat connection setup failed');
          socket.close(CLOSE_INTERNAL_ERROR, 'internal error');
        });
    },
  );
}

/**
 * Frames written to one socket within the same event-loop turn leave in one syscall: the TCP
 * socket is corked on the first write and uncorked on setImmediate. A busy room fans out many
 * small frames per turn, and one write per frame dominated the server's CPU time.
 */
function coalescingWriter(socket: WebSocket, raw: Socket): (text: string) => void {
  let corked = false;
  return (text) => {
    if (socket.readyState !== socket.OPEN) return;
    if (!corked && !raw.destroyed) {
      corked = true;
      raw.cork();
      setImmediate(() => {
        corked = false;
        raw.uncork();
      });
    }
    socket.send(text);
  };
}
