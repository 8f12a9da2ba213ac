/**
 * The offline outbox for mutations (favorites, profile edits...). A mutation submitted here gets
 * an idempotency key, is persisted BEFORE it is first sent, and is removed only once the server
 * answered. Made offline or failing on the network, it stays queued and is replayed in order when
 * the network returns, with the same key, so the server applies it exactly once however many
 * times it arrives (and after an app restart). A 4xx answer fails the item for good (the user
 * may retry or discard it); 5xx/429 answers are retried with backoff up to `maxAttempts`.
 *
 * http.ts can route `outbox: true` requests here; pages can also call `submit` directly and show
 * `items` ("queued / sending / sent / failed").
 */
import { backoffDelay } from './backoff';
import type { BackoffOptions } from './backoff';
import { createClientId } from './client-id';
import type { Connectivity, HttpLike, HttpMethod, HttpRequestOptions } from './contracts';
import { AppError, isAppError } from './errors';
import type { KeyValueStore, Timers } from './wx-ports';
import { realTimers, wxStorage } from './wx-ports';

export type OutboxMethod = Extract<HttpMethod, 'POST' | 'PUT' | 'PATCH' | 'DELETE'>;

export interface OutboxRequest {
  method: OutboxMethod;
  url: string;
  data?: unknown;
  params?: Record<string, string | number | boolean | undefined>;
  header?: Record<string, string>;
  /** What the UI shows for the item, e.g. "Favorite: Phone X". */
  label?: string;
  /**
   * The caller's own key (e.g. one per tap, kept across the UI's retries). A key that is still
   * waiting in the outbox is not queued twice. Default: a fresh random key.
   */
  idempotencyKey?: string;
}

export type OutboxItemState = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxItem {
  /** Also the Idempotency-Key. */
  id: string;
  request: OutboxRequest;
  createdAt: number;
  /** Attempts that reached the server and were refused with a retryable status. */
  attempts: number;
  state: OutboxItemState;
  /** Earliest time of the next replay (backoff after a 5xx or a network error). */
  notBefore?: number;
  /** Consecutive network failures (they never fail the item, but stretch the backoff). */
  networkFailures?: number;
  error?: { kind: string; status?: number; code?: string; message: string };
}

export type OutboxSubmitResult<T> =
  { state: 'sent'; id: string; data: T } | { state: 'queued'; id: string };

export interface OutboxOptions {
  http: HttpLike;
  connectivity: Connectivity;
  storage?: KeyValueStore;
  /** Default 'net.outbox'. */
  storageKey?: string;
  /** Unsent items kept at most. Default 50. */
  maxItems?: number;
  /** Retryable server refusals before an item fails. Default 5. */
  maxAttempts?: number;
  /** Sent items kept in `items` for the UI. Default 20. */
  keepSent?: number;
  /** Defaults: base 1 s, cap 60 s. */
  backoff?: BackoffOptions;
  timers?: Timers;
}

const METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

export class MutationOutbox {
  private list: OutboxItem[] = [];
  private readonly listeners = new Set<(items: readonly OutboxItem[]) => void>();
  private flushing: Promise<void> | undefined;
  private retryTimer: unknown;
  private unsubscribe: (() => void) | undefined;
  private readonly storage: KeyValueStore;
  private readonly key: string;
  private readonly timers: Timers;

  constructor(private readonly options: OutboxOptions) {
    this.storage = options.storage ?? wxStorage();
    this.key = options.storageKey ?? 'net.outbox';
    this.timers = options.timers ?? realTimers;
    this.load();
  }

  /** Every item, oldest first: unsent ones plus the last few sent. Copies. */
  get items(): readonly OutboxItem[] {
    return this.list.map(copy);
  }

  /** Follows connectivity and replays what is queued (also what a previous run left). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.options.connectivity.subscribe((state) => {
      if (state.online) void this.flush();
    });
    void this.flush();
  }

  /** Stops following connectivity; queued items stay persisted. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.timers.clearTimeout(this.retryTimer);
  }

  dispose(): void {
    this.stop();
    this.listeners.clear();
  }

  subscribe(listener: (items: readonly OutboxItem[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Sends the mutation now if possible. Resolves `sent` with the reply, or `queued` when it was
   * kept for replay (offline or a network failure). Rejects with the AppError when the server
   * refused it (4xx), when the request is invalid, or when the outbox is full.
   */
  async submit<T>(request: OutboxRequest): Promise<OutboxSubmitResult<T>> {
    validate(request);
    if (this.list.filter((item) => item.state !== 'sent').length >= (this.options.maxItems ?? 50)) {
      throw new AppError({
        kind: 'business',
        code: 'OUTBOX_FULL',
        message: 'offline outbox is full',
      });
    }
    const { idempotencyKey, ...rest } = request;
    const waiting = this.list.find((other) => other.id === idempotencyKey && isUnsent(other));
    if (waiting) return { state: 'queued', id: waiting.id };
    const item: OutboxItem = {
      id: idempotencyKey ?? createClientId('idem'),
      request: rest,
      createdAt: this.timers.now(),
      attempts: 0,
      state: 'queued',
    };
    // Persisted before the first attempt: a crash mid-request still replays it.
    this.list.push(item);
    this.changed();
    const ahead = this.list.some((other) => other !== item && isUnsent(other));
    if (ahead || !this.options.connectivity.state.online) return { state: 'queued', id: item.id };
    const outcome = await this.attempt<T>(item);
    // Items queued behind this one go next; a transient failure gets its backoff timer.
    void this.flush();
    if (outcome.ok) return { state: 'sent', id: item.id, data: outcome.data };
    if (item.state === 'failed') {
      // The caller handles the refusal like any failed request; the item is not kept.
      this.remove(item.id);
      throw outcome.error;
    }
    return { state: 'queued', id: item.id };
  }

  /** Replays queued items in order while online. Concurrent calls share one run. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.replay().finally(() => {
        this.flushing = undefined;
      });
    }
    return this.flushing;
  }

  /** Puts a failed item back in the queue (a fresh attempt budget). False if not failed. */
  retry(id: string): boolean {
    const item = this.list.find((candidate) => candidate.id === id);
    if (!item || item.state !== 'failed') return false;
    item.state = 'queued';
    item.attempts = 0;
    delete item.error;
    delete item.notBefore;
    delete item.networkFailures;
    this.changed();
    void this.flush();
    return true;
  }

  /** Drops an item that is not being sent right now. */
  discard(id: string): boolean {
    const item = this.list.find((candidate) => candidate.id === id);
    if (!item || item.state === 'sending') return false;
    return this.remove(id);
  }

  private async replay(): Promise<void> {
    this.timers.clearTimeout(this.retryTimer);
    while (this.options.connectivity.state.online) {
      const head = this.list.find(isUnsent);
      // A head in flight belongs to a direct `submit`, which flushes again when it settles.
      if (!head || head.state === 'sending') return;
      const wait = (head.notBefore ?? 0) - this.timers.now();
      if (wait > 0) {
        this.retryTimer = this.timers.setTimeout(() => void this.flush(), wait);
        return;
      }
      const outcome = await this.attempt(head);
      // Order matters: a head that must be retried later blocks those behind it.
      if (!outcome.ok && head.state === 'queued') {
        this.retryTimer = this.timers.setTimeout(
          () => void this.flush(),
          Math.max(0, (head.notBefore ?? 0) - this.timers.now()),
        );
        return;
      }
    }
  }

  private async attempt<T>(
    item: OutboxItem,
  ): Promise<{ ok: true; data: T } | { ok: false; error: AppError }> {
    item.state = 'sending';
    this.changed();
    const { label: _label, ...request } = item.request;
    const options: HttpRequestOptions = { ...request, idempotencyKey: item.id, offline: 'fail' };
    try {
      const data = await this.options.http.request<T>(options);
      item.state = 'sent';
      delete item.error;
      delete item.notBefore;
      delete item.networkFailures;
      this.trimSent();
      this.changed();
      return { ok: true, data };
    } catch (raw) {
      const error = isAppError(raw)
        ? raw
        : new AppError({ kind: 'network', message: String(raw), cause: raw });
      this.settleFailure(item, error);
      this.changed();
      return { ok: false, error };
    }
  }

  private settleFailure(item: OutboxItem, error: AppError): void {
    item.error = {
      kind: error.kind,
      status: error.status,
      code: error.code,
      message: error.serverMessage ?? error.message,
    };
    if (isPermanent(error)) {
      item.state = 'failed';
      return;
    }
    const reachedServer = error.kind === 'http' || error.kind === 'auth';
    if (reachedServer) item.attempts++;
    else item.networkFailures = (item.networkFailures ?? 0) + 1;
    if (item.attempts >= (this.options.maxAttempts ?? 5)) {
      item.state = 'failed';
      return;
    }
    item.state = 'queued';
    const backoff = { baseMs: 1000, capMs: 60_000, ...this.options.backoff };
    const failures = item.attempts + (item.networkFailures ?? 0);
    item.notBefore = this.timers.now() + backoffDelay(failures - 1, backoff);
  }

  private remove(id: string): boolean {
    const index = this.list.findIndex((item) => item.id === id);
    if (index < 0) return false;
    this.list.splice(index, 1);
    this.changed();
    return true;
  }

  private trimSent(): void {
    const keep = this.options.keepSent ?? 20;
    let sent = this.list.filter((item) => item.state === 'sent').length;
    this.list = this.list.filter((item) => item.state !== 'sent' || sent-- <= keep);
  }

  private changed(): void {
    // Sent items live in memory only: they must never be replayed after a restart.
    this.storage.set(
      this.key,
      this.list.filter((item) => item.state !== 'sent'),
    );
    const snapshot = this.items;
    for (const listener of [...this.listeners]) listener(snapshot);
  }

  private load(): void {
    const stored = this.storage.get(this.key);
    if (!Array.isArray(stored)) return;
    this.list = stored.filter(isStoredItem).map((item) => ({
      ...item,
      // A request in flight when the app died is replayed; its key makes that safe.
      state: item.state === 'failed' ? 'failed' : 'queued',
    }));
  }
}

function isUnsent(item: OutboxItem): boolean {
  return item.state === 'queued' || item.state === 'sending';
}

/** 4xx other than 408/429, business and parse errors: sending again cannot help. */
function isPermanent(error: AppError): boolean {
  if (error.kind === 'business' || error.kind === 'parse') return true;
  if (error.kind !== 'http' || error.status === undefined) return false;
  return error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

function validate(request: OutboxRequest): void {
  const key = request?.idempotencyKey;
  if (
    !request ||
    typeof request.url !== 'string' ||
    request.url === '' ||
    !METHODS.includes(request.method) ||
    (key !== undefined && (typeof key !== 'string' || key === '' || key.length > 200))
  ) {
    throw new AppError({
      kind: 'business',
      code: 'VALIDATION_FAILED',
      message:
        'outbox requests need a url, one of POST, PUT, PATCH, DELETE, and a key of 1..200 characters if any',
    });
  }
}

function isStoredItem(value: unknown): value is OutboxItem {
  if (!value || typeof value !== 'object') return false;
  const item = value as Partial<OutboxItem>;
  return (
    typeof item.id === 'string' &&
    typeof item.createdAt === 'number' &&
    typeof item.attempts === 'number' &&
    !!item.request &&
    typeof item.request.url === 'string' &&
    METHODS.includes(item.request.method) &&
    (item.state === 'queued' || item.state === 'sending' || item.state === 'failed')
  );
}

function copy(item: OutboxItem): OutboxItem {
  return {
    ...item,
    request: { ...item.request },
    ...(item.error ? { error: { ...item.error } } : {}),
  };
}
