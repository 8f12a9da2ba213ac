import path from 'node:path';

/** Something that tells the time; tests pass a controllable one to expire tokens. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

export interface WechatCredentials {
  appId: string;
  secret: string;
  /** Base URL of the WeChat API, e.g. https://api.weixin.qq.com (tests use a loopback stub). */
  apiBase: string;
}

export interface RateLimitWindow {
  max: number;
  windowMs: number;
}

export interface ChatLimits {
  /** Token bucket per connection: sustained frames per second. */
  framesPerSecond: number;
  /** Token bucket size (a burst a client may send at once). */
  burst: number;
  /** Frames larger than this get an error frame (bytes). */
  maxFrameBytes: number;
  /** Frames larger than this close the socket (ws maxPayload, bytes). */
  maxPayloadBytes: number;
  /** Longest `sync`/history page. */
  maxSync: number;
}

export interface ServerOptions {
  /** Where the SQLite file and uploaded blobs live. */
  dataDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logLevel: LogLevel;
  /** Where JSON log lines go (default stdout); tests pass a stream to read them. */
  logStream?: NodeJS.WritableStream;
  /** Mount /__dev (also requires production === false). */
  devRoutes: boolean;
  production: boolean;
  clock: Clock;
  tokenTtlMs: number;
  /** Set → the real jscode2session provider; unset → the development provider. */
  wechat?: WechatCredentials;
  loginRateLimit: RateLimitWindow;
  /** WebSocket upgrades to /ws/chat per client address (each costs a token lookup). */
  chatConnectRateLimit: RateLimitWindow;
  chat: ChatLimits;
  /** Multipart upload limit in bytes. */
  maxUploadBytes: number;
  /** How many products the first start seeds (at least 200 in a normal run). */
  seedProducts: number;
  /** How long graceful shutdown waits for in-flight requests before it drops them. */
  shutdownGraceMs: number;
  version: string;
}

export const REPO_ROOT = findRepoRoot(__dirname);

/** The source lives in server/src, the build in build/server/src: find the folder with package.json. */
function findRepoRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const parent = path.dirname(dir);
    if (path.basename(dir) === 'server' && path.basename(parent) !== 'build') return parent;
    if (path.basename(dir) === 'server' && path.basename(parent) === 'build') {
      return path.dirname(parent);
    }
    dir = parent;
  }
  return process.cwd();
}

export const DEFAULT_OPTIONS: ServerOptions = {
  dataDir: path.join(REPO_ROOT, '.data'),
  host: '127.0.0.1',
  port: 3000,
  logLevel: 'info',
  devRoutes: true,
  production: false,
  clock: systemClock,
  tokenTtlMs: 2 * 60 * 60 * 1000,
  // Generous in development (e2e runs log many users in from one address); see optionsFromEnv.
  loginRateLimit: { max: 300, windowMs: 60_000 },
  // The fan-out bench opens 100 sockets at once from one address; e2e runs reconnect often.
  chatConnectRateLimit: { max: 600, windowMs: 60_000 },
  chat: {
    framesPerSecond: 20,
    burst: 40,
    maxFrameBytes: 8 * 1024,
    maxPayloadBytes: 64 * 1024,
    maxSync: 100,
  },
  maxUploadBytes: 10 * 1024 * 1024,
  seedProducts: 240,
  shutdownGraceMs: 5_000,
  version: '0.1.0',
};

export type ServerOptionsInput = Partial<Omit<ServerOptions, 'chat'>> & {
  chat?: Partial<ChatLimits>;
};

export function resolveOptions(input: ServerOptionsInput = {}): ServerOptions {
  return {
    ...DEFAULT_OPTIONS,
    ...input,
    chat: { ...DEFAULT_OPTIONS.chat, ...input.chat },
  };
}

/**
 * Reads the environment `npm start` documents: PORT, HOST, DATA_DIR, NODE_ENV, LOG_LEVEL,
 * WECHAT_APPID/WECHAT_SECRET/WECHAT_API_BASE, TOKEN_TTL (seconds), LOGIN_RATE_LIMIT and
 * CHAT_CONNECT_RATE_LIMIT (per minute).
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv): ServerOptionsInput {
  const input: ServerOptionsInput = {};
  if (env.PORT) input.port = parseInteger('PORT', env.PORT);
  if (env.HOST) input.host = env.HOST;
  if (env.DATA_DIR) input.dataDir = path.resolve(env.DATA_DIR);
  if (env.LOG_LEVEL) {
    if (!LOG_LEVELS.includes(env.LOG_LEVEL as LogLevel)) {
      throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
    }
    input.logLevel = env.LOG_LEVEL as LogLevel;
  }
  input.production = env.NODE_ENV === 'production';
  input.devRoutes = !input.production;
  if (input.production) {
    input.loginRateLimit = { max: 60, windowMs: 60_000 };
    input.chatConnectRateLimit = { max: 120, windowMs: 60_000 };
  }
  if (env.LOGIN_RATE_LIMIT) {
    input.loginRateLimit = {
      max: parseInteger('LOGIN_RATE_LIMIT (per minute)', env.LOGIN_RATE_LIMIT),
      windowMs: 60_000,
    };
  }
  if (env.CHAT_CONNECT_RATE_LIMIT) {
    input.chatConnectRateLimit = {
      max: parseInteger('CHAT_CONNECT_RATE_LIMIT (per minute)', env.CHAT_CONNECT_RATE_LIMIT),
      windowMs: 60_000,
    };
  }
  if (env.TOKEN_TTL) input.tokenTtlMs = parseInteger('TOKEN_TTL (seconds)', env.TOKEN_TTL) * 1000;
  if (env.WECHAT_APPID && env.WECHAT_SECRET) {
    input.wechat = {
      appId: env.WECHAT_APPID,
      secret: env.WECHAT_SECRET,
      apiBase: (env.WECHAT_API_BASE || 'https://api.weixin.qq.com').replace(/\/+$/, ''),
    };
  }
  return input;
}

function parseInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
  return n;
}
