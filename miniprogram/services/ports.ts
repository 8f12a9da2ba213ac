/**
 * What the pages and components need from the network layer, stated as small interfaces.
 * app.ts adapts the real utils (http, session, network, outbox, socket, upload, album, monitor)
 * to these once; pages and the api/ layer only ever see the ports, which keeps them testable
 * with plain objects and independent of how each util is built inside.
 */
import type { ChatMessage, FileInfo, RequestMetric } from '../../typings/api';
import type { CancelSignal } from '../utils/cancel';
import type { Connectivity, HttpRequestOptions, SessionSource } from '../utils/contracts';

// ---------------------------------------------------------------- http

export interface ApiCacheOptions<T> {
  /** Fresh for this long (ms). */
  ttl: number;
  /** Answer from cache at once (even stale) and revalidate; `onUpdate` gets the fresh data. */
  swr?: boolean;
  onUpdate?: (fresh: T) => void;
}

export interface ApiRequestOptions<T> extends HttpRequestOptions {
  cache?: ApiCacheOptions<T>;
  /** Share an identical GET in flight (default true). */
  dedupe?: boolean;
}

/** The request function the api/ layer calls (http.ts's HttpClient behind an adapter). */
export interface ApiHttp {
  request<T>(options: ApiRequestOptions<T>): Promise<T>;
}

// ---------------------------------------------------------------- session

export interface AppSession extends SessionSource {
  /** Clears the session, the user's cache partition and in-flight work. */
  logout(): Promise<void>;
}

// ---------------------------------------------------------------- outbox

export type OutboxItemState = 'queued' | 'sent' | 'failed';

export interface OutboxItemEvent {
  type: 'item';
  id: string;
  state: OutboxItemState;
  /** What the caller attached when enqueueing, e.g. `favorite:p001`. */
  tag?: string;
  /** The server's reply for 'sent'. */
  result?: unknown;
  error?: unknown;
}

export type OutboxEvent =
  | OutboxItemEvent
  | { type: 'count'; pending: number }
  /** A replay run finished: `sent` queued actions went out. */
  | { type: 'flushed'; sent: number };

export interface OutboxPort {
  readonly pending: number;
  /**
   * Sends the mutation now when possible; offline (or on a network failure) it is persisted and
   * replayed in order later. Resolves with the state it reached now ('sent' or 'queued'); a
   * later outcome arrives as an `item` event with the same id.
   */
  submit(
    request: HttpRequestOptions & { idempotencyKey: string },
    tag?: string,
  ): Promise<{ id: string; state: OutboxItemState; result?: unknown }>;
  subscribe(listener: (event: OutboxEvent) => void): () => void;
  clear(): void;
}

// ---------------------------------------------------------------- chat

export type ChatConnectionStatus = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'offline';

export type ChatEvent =
  | { type: 'message'; message: ChatMessage }
  | { type: 'status'; status: ChatConnectionStatus }
  | { type: 'ack'; clientId: string; id: number; at: number }
  | { type: 'failed'; clientId: string; error?: unknown };

export interface ChatPort {
  readonly status: ChatConnectionStatus;
  /** Opens (or keeps) the connection; returns a release. The socket closes when nobody holds it. */
  acquire(): () => void;
  /** Sends text; returns the client id the ack and failure events refer to. */
  send(text: string): string;
  /** Sends a failed message again under the same client id. */
  retry(clientId: string): void;
  on(listener: (event: ChatEvent) => void): () => void;
}

// ---------------------------------------------------------------- uploads

export type UploadState = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled';

export interface UploadItemView {
  id: string;
  name: string;
  path: string;
  size: number;
  state: UploadState;
  /** 0..100 */
  progress: number;
  resumable: boolean;
  file?: FileInfo;
  error?: string;
}

export interface UploadPort {
  add(files: Array<{ path: string; size: number; name?: string }>): void;
  cancel(id: string): void;
  retry(id: string): void;
  list(): UploadItemView[];
  subscribe(listener: (items: UploadItemView[]) => void): () => void;
}

export type SaveOutcome = 'saved' | 'denied' | 'cancelled' | 'failed';

export interface AlbumPort {
  save(url: string, signal?: CancelSignal): Promise<SaveOutcome>;
}

// ---------------------------------------------------------------- monitor

export interface EndpointStats {
  /** `METHOD /path/:id` */
  endpoint: string;
  count: number;
  errors: number;
  p50: number;
  p95: number;
  /** Answers from the cache (fresh or revalidated). */
  cacheHits: number;
  retries: number;
}

export interface MonitorSnapshotView {
  totals: { count: number; errors: number; cacheHits: number; retries: number };
  endpoints: EndpointStats[];
  slowest: Array<Pick<RequestMetric, 'method' | 'endpoint' | 'totalMs' | 'status' | 'at'>>;
  /** Recent requests, oldest first, for the latency chart. */
  recent: Array<Pick<RequestMetric, 'totalMs' | 'at' | 'ok'>>;
  /** The app's own errors (App.onError / onUnhandledRejection), oldest first. */
  appErrors?: Array<{ source: string; message: string; at: number }>;
}

export interface MonitorPort {
  snapshot(): MonitorSnapshotView;
  reset(): void;
  reportError(error: unknown, source: 'onError' | 'onUnhandledRejection' | 'page'): void;
}

// ---------------------------------------------------------------- all of it

export interface AppServices {
  http: ApiHttp;
  session: AppSession;
  connectivity: Connectivity;
  outbox: OutboxPort;
  chat: ChatPort;
  uploads: UploadPort;
  album: AlbumPort;
  monitor: MonitorPort;
}
