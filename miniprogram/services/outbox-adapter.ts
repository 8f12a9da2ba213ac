/**
 * Adapts utils/outbox's MutationOutbox (a list of items and their states) to the events the
 * pages and the offline banner want: per-item outcomes, the pending count, and "flushed N"
 * when every action that had to wait (queued offline or left from a previous run) went out.
 */
import type { HttpRequestOptions } from '../utils/contracts';
import type { OutboxEvent, OutboxItemState, OutboxPort } from './ports';

type SourceState = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxSourceItem {
  id: string;
  state: SourceState;
  request: { label?: string };
}

type SourceRequest = {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  data?: unknown;
  params?: HttpRequestOptions['params'];
  header?: Record<string, string>;
  label?: string;
};

/** The part of MutationOutbox this adapter uses. */
export interface OutboxSource {
  readonly items: readonly OutboxSourceItem[];
  subscribe(listener: (items: readonly OutboxSourceItem[]) => void): () => void;
  submit<T>(
    request: SourceRequest,
  ): Promise<{ state: 'sent'; id: string; data: T } | { state: 'queued'; id: string }>;
  discard(id: string): boolean;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isPending(state: SourceState): boolean {
  return state === 'queued' || state === 'sending';
}

export class OutboxAdapter implements OutboxPort {
  private readonly listeners = new Set<(event: OutboxEvent) => void>();
  private known = new Map<string, SourceState>();
  /** Items that had to wait; their delivery is what "sent N queued actions" counts. */
  private readonly parked = new Set<string>();
  private flushedCount = 0;
  private pendingCount = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly source: OutboxSource) {
    for (const item of source.items) {
      this.known.set(item.id, item.state);
      if (isPending(item.state)) this.parked.add(item.id);
    }
    this.pendingCount = this.countPending(source.items);
    this.unsubscribe = source.subscribe((items) => this.onItems(items));
  }

  get pending(): number {
    return this.pendingCount;
  }

  async submit(
    request: HttpRequestOptions & { idempotencyKey: string },
    tag?: string,
  ): Promise<{ id: string; state: OutboxItemState; result?: unknown }> {
    const method = request.method ?? 'POST';
    if (!MUTATING.has(method)) throw new Error(`outbox: ${method} is not a mutation`);
    const outcome = await this.source.submit<unknown>({
      method: method as SourceRequest['method'],
      url: request.url,
      data: request.data,
      params: request.params,
      header: request.header,
      label: tag,
    });
    if (outcome.state === 'queued') {
      this.parked.add(outcome.id);
      return { id: outcome.id, state: 'queued' };
    }
    return { id: outcome.id, state: 'sent', result: outcome.data };
  }

  subscribe(listener: (event: OutboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Drops every action not sent yet (logout: they belong to the previous user). */
  clear(): void {
    for (const item of this.source.items) {
      if (item.state !== 'sent') this.source.discard(item.id);
    }
    this.parked.clear();
    this.flushedCount = 0;
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  private onItems(items: readonly OutboxSourceItem[]): void {
    const next = new Map<string, SourceState>();
    for (const item of items) {
      next.set(item.id, item.state);
      const before = this.known.get(item.id);
      if (before === item.state) continue;
      if (item.state === 'sent' || item.state === 'failed') {
        if (item.state === 'sent' && this.parked.has(item.id)) this.flushedCount += 1;
        this.parked.delete(item.id);
        this.emit({ type: 'item', id: item.id, state: item.state, tag: item.request.label });
      } else if (item.state === 'queued' && before === 'sending') {
        // Sent and bounced back (network failure): it waits now.
        this.parked.add(item.id);
        this.emit({ type: 'item', id: item.id, state: 'queued', tag: item.request.label });
      }
    }
    for (const id of this.known.keys()) if (!next.has(id)) this.parked.delete(id);
    this.known = next;

    const pending = this.countPending(items);
    if (pending !== this.pendingCount) {
      this.pendingCount = pending;
      this.emit({ type: 'count', pending });
    }
    if (this.parked.size === 0 && this.flushedCount > 0) {
      const sent = this.flushedCount;
      this.flushedCount = 0;
      this.emit({ type: 'flushed', sent });
    }
  }

  private countPending(items: readonly OutboxSourceItem[]): number {
    return items.filter((item) => isPending(item.state)).length;
  }

  private emit(event: OutboxEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
