import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import type { ChatMessage } from '../../typings/api';
import { AuthService } from './auth/auth-service';
import { devLoginProvider } from './auth/dev-provider';
import type { LoginProvider } from './auth/provider';
import { wechatLoginProvider } from './auth/wechat-provider';
import { CLOSE_GOING_AWAY, ChatService } from './chat/chat-service';
import { resolveOptions, type ServerOptions, type ServerOptionsInput } from './config';
import type { AppContext } from './context';
import { openDatabase } from './db/database';
import { seedIfEmpty } from './db/seed';
import { FaultInjector } from './dev/faults';
import { DevCounters } from './dev/stats';
import { FavoriteService } from './favorites/favorite-service';
import { authHook } from './http/auth-hook';
import { Housekeeping } from './housekeeping';
import { installErrorHandling } from './http/error-handler';
import { applyMethodOverride, installMethodOverrideCheck } from './http/method-override';
import { apiHelmetOptions, securityHeaders } from './http/security-headers';
import { redactUrl, traceIdFor } from './http/trace';
import { installValidators, requireRouteSchemas } from './http/validation';
import { PlaceholderImages } from './images/image-cache';
import { MetricsAggregator } from './metrics/aggregator';
import { ProductService } from './products/product-service';
import { memoryPubSub, type PubSub } from './pubsub/pubsub';
import { sqliteRepositories } from './repositories/sqlite';
import type { Repositories } from './repositories/types';
import { loginRoute, sessionRoutes } from './routes/auth';
import { chatHistoryRoute, chatSocketRoute } from './routes/chat';
import { chunkedUploadRoutes } from './routes/chunked-uploads';
import { DEV_PREFIX, devRoutes, installDevHooks } from './routes/dev';
import { favoriteRoutes } from './routes/favorites';
import { publicFileRoutes, uploadRoutes } from './routes/files';
import { healthRoutes } from './routes/health';
import { imageRoutes } from './routes/images';
import { metricsRoutes } from './routes/metrics';
import { productRoutes } from './routes/products';
import { BlobStore } from './uploads/blob-store';
import { FileService } from './uploads/file-service';

export interface BuildOverrides {
  /** Replace storage (e.g. a PostgreSQL implementation); default SQLite under dataDir. */
  repositories?: Repositories;
  /** Replace chat fan-out (e.g. Redis); default in-memory. */
  pubsub?: PubSub<ChatMessage>;
  /** Replace the login provider; default from options.wechat. */
  loginProvider?: LoginProvider;
}

export interface BuiltServer {
  app: FastifyInstance;
  context: AppContext;
}

const JSON_BODY_LIMIT = 64 * 1024;

/** Builds the Fastify app with every route, not yet listening (fastify.inject works on it). */
export async function buildServer(
  input: ServerOptionsInput = {},
  overrides: BuildOverrides = {},
): Promise<BuiltServer> {
  const options = resolveOptions(input);
  const repos = overrides.repositories ?? sqliteRepositories(openDatabase(options.dataDir));
  await seedIfEmpty(repos.products, options.seedProducts);
  const context = createContext(options, repos, overrides);
  const devEnabled = options.devRoutes && !options.production;

  const app = Fastify({
    logger: {
      level: options.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      serializers: {
        // No headers (tokens); the per-attempt X-Request-Id is kept to tell retries apart.
        req: (req: {
          method: string;
          url: string;
          ip?: string;
          headers: Record<string, unknown>;
        }) => ({
          method: req.method,
          url: redactUrl(req.url),
          remoteAddress: req.ip,
          requestId:
            typeof req.headers['x-request-id'] === 'string'
              ? req.headers['x-request-id'].slice(0, 64)
              : undefined,
        }),
      },
    },
    genReqId: traceIdFor,
    rewriteUrl: applyMethodOverride,
    logController: new LogController({ requestIdLogLabel: 'traceId' }),
    bodyLimit: JSON_BODY_LIMIT,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  installValidators(app);
  requireRouteSchemas(app);
  installErrorHandling(app);
  installJsonParser(app);
  installMethodOverrideCheck(app);
  const headers = securityHeaders(apiHelmetOptions(options.production));
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers).header('x-trace-id', request.id);
  });
  if (devEnabled) installDevHooks(app, context);

  await app.register(rateLimit, { global: false });
  await app.register(multipart, {
    limits: {
      fileSize: options.maxUploadBytes,
      files: 1,
      fields: 20,
      fieldSize: 4096,
      parts: 30,
      headerPairs: 100,
    },
  });
  await app.register(websocket, {
    options: { maxPayload: options.chat.maxPayloadBytes },
    // Replaces the plugin's default (a bare close()): clients learn the server is going away.
    preClose(done) {
      for (const client of app.websocketServer.clients) {
        client.close(CLOSE_GOING_AWAY, 'server shutting down');
      }
      app.websocketServer.close(() => done());
    },
  });
  const { housekeeping } = context;
  await housekeeping.clearIncoming();
  housekeeping.start(60 * 60 * 1000, (error) =>
    app.log.error({ err: error }, 'housekeeping failed'),
  );
  app.addHook('onClose', async () => {
    housekeeping.stop();
    await context.repos.close();
  });

  // Public: health, login, product images, files by unguessable id.
  healthRoutes(app, context);
  loginRoute(app, context);
  imageRoutes(app, context);
  publicFileRoutes(app, context);
  // The chat socket authenticates itself (close code 4401 instead of an HTTP 401).
  chatSocketRoute(app, context);

  await app.register(async (authed) => {
    authed.addHook('onRequest', authHook(context.auth));
    sessionRoutes(authed, context);
    productRoutes(authed, context);
    favoriteRoutes(authed, context);
    uploadRoutes(authed, context);
    chunkedUploadRoutes(authed, context);
    chatHistoryRoute(authed, context);
    metricsRoutes(authed, context);
  });

  if (devEnabled) {
    await app.register(async (dev) => devRoutes(dev, context), { prefix: DEV_PREFIX });
  }
  return { app, context };
}

function createContext(
  options: ServerOptions,
  repos: Repositories,
  overrides: BuildOverrides,
): AppContext {
  const counters = new DevCounters();
  const blobs = new BlobStore(options.dataDir);
  const provider =
    overrides.loginProvider ??
    (options.wechat ? wechatLoginProvider(options.wechat) : devLoginProvider());
  return {
    options,
    repos,
    counters,
    faults: new FaultInjector(),
    auth: new AuthService(repos, provider, options.clock, options.tokenTtlMs),
    products: new ProductService(repos),
    favorites: new FavoriteService(repos, options.clock, () => counters.favoriteApplied()),
    blobs,
    housekeeping: new Housekeeping(repos, blobs, options.clock),
    files: new FileService(repos, blobs, options.clock, {
      onChunk: (uploadId, index) => counters.chunk(uploadId, index),
    }),
    chat: new ChatService(
      repos,
      overrides.pubsub ?? memoryPubSub<ChatMessage>(),
      options.clock,
      options.chat,
      () => counters.chatMessage(),
    ),
    metrics: new MetricsAggregator(),
    images: new PlaceholderImages(),
  };
}

/** An empty body with a JSON content type (what wx.request sends for a bare POST) is no body. */
function installJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}

export interface RunningServer extends BuiltServer {
  url: string;
  port: number;
  /** Graceful: stops accepting, closes chat sockets, finishes in-flight requests, closes the db. */
  close(): Promise<void>;
}

export async function startServer(
  input: ServerOptionsInput = {},
  overrides: BuildOverrides = {},
): Promise<RunningServer> {
  const built = await buildServer(input, overrides);
  const { options } = built.context;
  try {
    await built.app.listen({ host: options.host, port: options.port });
  } catch (error) {
    // e.g. the port is taken: release the database and timers before reporting it.
    await built.app.close();
    throw error;
  }
  const port = (built.app.server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    ...built,
    port,
    url: `http://${host}:${port}`,
    close: () => (closing ??= closeGracefully(built.app, options.shutdownGraceMs)),
  };
}

async function closeGracefully(app: FastifyInstance, graceMs: number): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), graceMs);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
