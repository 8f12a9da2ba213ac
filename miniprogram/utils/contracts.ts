/**
 * The interfaces the two halves of the network layer use to talk to each other.
 * The request stack (http, scheduler, session, monitor) implements the ones it owns;
 * socket, upload and network (status + outbox) take them by injection, which also keeps
 * every piece testable on its own.
 */
import type { RequestMetric } from '../../typings/api';
import type { CancelSignal } from './cancel';

export type Priority = 'high' | 'normal' | 'low';
export type TaskKind = 'request' | 'upload' | 'download';

export interface ScheduleOptions {
  priority?: Priority;
  kind?: TaskKind;
  /** Aborting while queued removes the task and rejects with a `cancelled` AppError. */
  signal?: CancelSignal;
  /** Shown in the monitor and in debugging. */
  label?: string;
  /** Hold the task while offline instead of starting it (network.ts feeds the scheduler). */
  offline?: 'queue' | 'fail';
}

/** At most 10 concurrent network tasks shared by request, upload and download (WeChat's limit). */
export interface TaskScheduler {
  schedule<T>(
    task: (info: { queuedMs: number }) => Promise<T>,
    options?: ScheduleOptions,
  ): Promise<T>;
  readonly active: number;
  readonly queued: number;
}

export interface Session {
  token: string;
  expiresAt: number;
  /** Increments every time a new session replaces the previous one. */
  generation: number;
  /** The logged-in user's id (cache partition); absent for sessions stored by older versions. */
  userId?: string;
}

/** What socket/upload/outbox need from session.ts. */
export interface SessionSource {
  /** The current session if it is still valid, without logging in. */
  current(): Session | undefined;
  /** The current session, logging in once (single flight) if there is none. */
  ensure(signal?: CancelSignal): Promise<Session>;
  /** Reports that `generation` was refused by the server; re-logs in unless a newer session exists. */
  invalidate(generation: number): void;
  /** Called with the new session (or undefined on logout). Returns an unsubscribe. */
  onChange(listener: (session: Session | undefined) => void): () => void;
}

export interface ConnectivityState {
  online: boolean;
  /** wx network type: wifi, 2g, 3g, 4g, 5g, unknown, none. */
  networkType: string;
  /** 2g/3g, or a measured latency above the weak threshold. */
  weak: boolean;
}

/** What the request stack needs from network.ts. */
export interface Connectivity {
  readonly state: ConnectivityState;
  subscribe(listener: (state: ConnectivityState) => void): () => void;
  /** Resolves when online (at once if already); rejects with a `cancelled` AppError on abort. */
  waitForOnline(signal?: CancelSignal): Promise<void>;
}

/** What everything reports its timings to (monitor.ts). */
export interface MetricsSink {
  record(metric: RequestMetric): void;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** The subset of http.ts's request options the other modules rely on. */
export interface HttpRequestOptions {
  method?: HttpMethod;
  /** Relative to the client's baseURL, or absolute. */
  url: string;
  /** Query parameters, serialised and sorted. */
  params?: Record<string, string | number | boolean | undefined>;
  /** JSON body, or an ArrayBuffer sent as application/octet-stream. */
  data?: unknown;
  header?: Record<string, string>;
  /** Default true. */
  auth?: boolean;
  timeout?: number;
  signal?: CancelSignal;
  priority?: Priority;
  /** Sent as Idempotency-Key; makes a POST retryable and outbox replays exactly-once. */
  idempotencyKey?: string;
  /** false disables retry; a number sets the attempt limit. */
  retry?: boolean | number;
  /** Do not run the UI error policy (the caller shows its own message). */
  skipErrorHandler?: boolean;
  /**
   * Made while offline: 'queue' waits in the scheduler until the network is back; otherwise the
   * request fails at once with an `offline` AppError. 'fail' also stops retries from waiting for
   * the network when an attempt is lost to it going away.
   */
  offline?: 'queue' | 'fail';
}

/** What outbox replay and chunked uploads need from http.ts. */
export interface HttpLike {
  request<T>(options: HttpRequestOptions): Promise<T>;
}
