/**
 * The API contract shared by the app (miniprogram/), the local server (server/) and the cloud
 * functions (cloudfunctions/). Types only: import with `import type` so nothing is emitted.
 *
 * Conventions
 * - Every JSON reply is an `Envelope<T>`. HTTP status codes still mean what HTTP says
 *   (401 session, 404, 409, 413, 422, 429 with Retry-After, 5xx).
 * - Lists page as `PageResult<T>`; `current` is 1-based.
 * - Times on the wire are epoch milliseconds (numbers) unless the field name says `Iso`.
 * - Authenticated calls send `Authorization: Bearer <token>`.
 * - Clients send `X-Request-Id` (unique per attempt) and `X-Trace-Id` (stable across retries);
 *   the server echoes the trace id as the envelope's `traceId` and in its logs.
 * - Mutations that may be replayed (offline outbox, retries) send `Idempotency-Key`.
 */

/** 0 silent · 1 warn toast · 2 error toast · 4 modal · 9 go to the error page. */
export type ShowType = 0 | 1 | 2 | 4 | 9;

export interface Envelope<T> {
  success: boolean;
  data?: T;
  errorCode?: ErrorCode | string;
  errorMessage?: string;
  showType?: ShowType;
  traceId: string;
}

/** Business error codes the server uses in `Envelope.errorCode`. */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'SESSION_EXPIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'VALIDATION_FAILED'
  | 'RATE_LIMITED'
  | 'UPSTREAM_FAILED'
  | 'INTERNAL';

export interface PageQuery {
  /** 1-based page number, default 1. */
  current?: number;
  /** Default 20, at most 50. */
  pageSize?: number;
}

export interface PageResult<T> {
  list: T[];
  current: number;
  pageSize: number;
  total: number;
}

// ---------------------------------------------------------------- auth

/** POST /api/auth/login */
export interface LoginRequest {
  /**
   * The code from `wx.login`. Without WECHAT_APPID/WECHAT_SECRET the server runs a development
   * provider: a code `dev-<userKey>-<nonce>` (what the simulator issues) maps to the stable user
   * `<userKey>`; any other code (DevTools with the tourist appid) maps to the user `default`.
   */
  code: string;
}

export interface User {
  id: string;
  nickname: string;
  avatarUrl: string;
  createdAt: number;
}

export interface LoginReply {
  token: string;
  /** Epoch ms after which the token is refused (401 SESSION_EXPIRED). */
  expiresAt: number;
  user: User;
}

/**
 * The `login` cloud function's reply (cloud mode): WeChat vouches for the caller on every
 * `wx.cloud.callFunction`, so there is no token to keep.
 */
export interface CloudLoginReply {
  user: User;
}

/** POST /api/auth/logout → Envelope<LogoutReply> (revokes the bearer token). */
export interface LogoutReply {
  revoked: boolean;
}

/** GET /api/me → Envelope<User> */
export type MeReply = User;

// ---------------------------------------------------------------- products

export type ProductCategory =
  'phones' | 'laptops' | 'audio' | 'cameras' | 'home' | 'books' | 'rare';

/** GET /api/products?current&pageSize&q&category → Envelope<PageResult<Product>> (ETag, 304). */
export interface ProductQuery extends PageQuery {
  /** Case-insensitive substring of the title, at most 50 characters. */
  q?: string;
  category?: ProductCategory;
}

export interface Product {
  id: string;
  title: string;
  category: ProductCategory;
  /** Price in cents (fen). */
  price: number;
  /** Absolute path on the API host, e.g. `/images/products/p001.png` (public, cacheable). */
  imageUrl: string;
  description: string;
  createdAt: number;
}

/** GET /api/products/:id → Envelope<ProductDetail> */
export interface ProductDetail extends Product {
  /** Whether the current user has favorited it. */
  favorite: boolean;
}

// ---------------------------------------------------------------- favorites

/** POST /api/favorites (header Idempotency-Key) → Envelope<Favorite>; applied exactly once per key. */
export interface FavoriteRequest {
  productId: string;
}

export interface Favorite {
  productId: string;
  createdAt: number;
}

/** GET /api/favorites → Envelope<PageResult<Favorite>>; DELETE /api/favorites/:productId → Envelope<FavoriteRemoved> */
export interface FavoriteRemoved {
  productId: string;
  removed: boolean;
}

// ---------------------------------------------------------------- files and uploads

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';

/**
 * POST /api/uploads: multipart/form-data as `wx.uploadFile` sends it, the file in field `file`
 * (max 10 MB). The type is decided by magic bytes, never by name or declared type.
 * → Envelope<FileInfo> (an identical file, by SHA-256, returns the existing record).
 */
export interface FileInfo {
  /** Unguessable id (at least 128 bits of randomness). */
  id: string;
  /** Original file name, sanitised, for display only. */
  filename: string;
  mime: ImageMime | 'application/octet-stream';
  size: number;
  sha256: string;
  /** `/files/:id` on the API host. */
  url: string;
  createdAt: number;
}

/** POST /api/uploads/chunked → Envelope<ChunkedUploadSession>. Same body again resumes the same session. */
export interface ChunkedUploadCreate {
  filename: string;
  /** Total bytes, at most 100 MB. */
  size: number;
  /** Hex SHA-256 of the whole file. */
  sha256: string;
  /** 64 KB .. 8 MB. */
  chunkSize: number;
}

export interface ChunkedUploadSession {
  uploadId: string;
  chunkSize: number;
  totalChunks: number;
  /** Indexes of the chunks the server already holds, ascending. */
  received: number[];
  /** Set once completed. */
  file?: FileInfo;
}

/**
 * PUT /api/uploads/chunked/:uploadId/chunks/:index with the raw bytes as body
 * (Content-Type: application/octet-stream), what `wx.request` sends for an ArrayBuffer `data`.
 * A chunk already received is accepted again idempotently. → Envelope<ChunkReceipt>
 * GET /api/uploads/chunked/:uploadId → Envelope<ChunkedUploadSession>
 * POST /api/uploads/chunked/:uploadId/complete → Envelope<FileInfo> (verifies size and SHA-256).
 */
export interface ChunkReceipt {
  index: number;
  received: number[];
}

/** GET /api/files?current&pageSize → Envelope<PageResult<FileInfo>>. GET /files/:id serves the bytes. */
export type FileListQuery = PageQuery;

// ---------------------------------------------------------------- chat (WebSocket /ws/chat)

/**
 * Connect to `/ws/chat` with `Authorization: Bearer <token>` (header) or `?token=` (query).
 * A bad or expired token closes the socket with code 4401 (reason 'unauthorized' / 'session expired').
 * An open socket lives no longer than its session: 4401 'session expired' when it expires, 4401
 * 'logged out' after a logout with that token. Too many connection attempts from one address are
 * refused before the upgrade with HTTP 429.
 * Every frame is one JSON text message.
 */
export interface ChatMessage {
  /** Strictly increasing across the room. */
  id: number;
  from: { id: string; nickname: string };
  text: string;
  at: number;
  /** The sender's client id, so the sender can match its own optimistic message. */
  clientId?: string;
}

export type ChatClientFrame =
  | { type: 'hello'; lastId?: number; reqId?: string }
  | { type: 'send'; clientId: string; text: string; reqId?: string }
  | { type: 'sync'; sinceId: number; limit?: number; reqId?: string }
  | { type: 'ping'; t?: number; reqId?: string };

export type ChatServerFrame =
  | { type: 'hello'; user: { id: string; nickname: string }; lastId: number; reqId?: string }
  | { type: 'ack'; clientId: string; id: number; at: number; reqId?: string }
  | ({ type: 'message' } & ChatMessage)
  | { type: 'sync'; messages: ChatMessage[]; hasMore: boolean; reqId?: string }
  | { type: 'pong'; t?: number; reqId?: string }
  | { type: 'error'; code: ErrorCode | string; message: string; clientId?: string; reqId?: string };

/** Max text length of a chat message, in characters. */
export type ChatTextLimit = 2000;

/** GET /api/chat/messages?beforeId&limit → Envelope<ChatHistory> (newest `limit` before `beforeId`, ascending). */
export interface ChatHistoryQuery {
  beforeId?: number;
  /** Default 30, at most 100. */
  limit?: number;
}

export interface ChatHistory {
  messages: ChatMessage[];
  hasMore: boolean;
}

// ---------------------------------------------------------------- metrics

/** One request as the monitor reports it (tokens already redacted). */
export interface RequestMetric {
  endpoint: string;
  method: string;
  status: number;
  ok: boolean;
  errorKind?: string;
  queueMs: number;
  loginMs: number;
  networkMs: number;
  totalMs: number;
  bytes: number;
  cache: 'hit' | 'miss' | 'revalidated' | 'bypass';
  retries: number;
  at: number;
}

/** POST /api/metrics (at most 200 items, 256 KB) → Envelope<{ accepted: number }> */
export interface MetricsBatch {
  app: { version: string; platform?: string };
  items: RequestMetric[];
}

/** GET /api/metrics/summary → Envelope<MetricsSummary> */
export interface MetricsSummary {
  endpoints: Array<{
    endpoint: string;
    count: number;
    errors: number;
    p50: number;
    p95: number;
    p99: number;
  }>;
  received: number;
}

// ---------------------------------------------------------------- health

/** GET /api/health → Envelope<Health> (no auth) */
export interface Health {
  ok: true;
  version: string;
  uptimeMs: number;
}
