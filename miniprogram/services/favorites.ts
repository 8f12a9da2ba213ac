/**
 * Favorites as the list shows them: the server's set plus optimistic toggles not yet
 * confirmed. A toggle changes the view at once, goes out through the outbox (which sends now
 * or queues while offline), and is reconciled when its outcome arrives: kept when sent,
 * reverted when the server refuses it.
 */
import { favoriteMutation } from '../api/favorites';
import type { FavoriteMutation } from '../api/favorites';
import type { OutboxEvent, OutboxItemState } from './ports';

export interface FavoriteSink {
  submit(request: FavoriteMutation, tag: string): Promise<{ id: string; state: OutboxItemState }>;
  subscribe(listener: (event: OutboxEvent) => void): () => void;
}

export interface FavoriteChange {
  productId: string;
  favorite: boolean;
  /** Why it changed: the user toggled, the server confirmed, a failed toggle was undone, a load. */
  reason: 'optimistic' | 'confirmed' | 'reverted' | 'loaded';
}

interface Toggle {
  productId: string;
  favorite: boolean;
  outboxId?: string;
}

const TAG_PREFIX = 'favorite:';

export class FavoritesStore {
  private readonly confirmed = new Set<string>();
  /** productId → the newest toggle not yet settled. */
  private readonly latest = new Map<string, Toggle>();
  /** outbox id → toggle, for outcomes that arrive later (replays). */
  private readonly byOutboxId = new Map<string, Toggle>();
  private readonly listeners = new Set<(change: FavoriteChange) => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly sink: FavoriteSink,
    private readonly newKey: () => string,
  ) {
    this.unsubscribe = sink.subscribe((event) => this.onOutbox(event));
  }

  isFavorite(productId: string): boolean {
    return this.latest.get(productId)?.favorite ?? this.confirmed.has(productId);
  }

  isPending(productId: string): boolean {
    return this.latest.has(productId);
  }

  /** The server's list (first load, refresh). Unsettled toggles still win until they settle. */
  load(productIds: readonly string[]): void {
    const before = new Set(this.confirmed);
    this.confirmed.clear();
    for (const id of productIds) this.confirmed.add(id);
    for (const id of new Set([...before, ...productIds])) {
      this.emit({ productId: id, favorite: this.isFavorite(id), reason: 'loaded' });
    }
  }

  /**
   * The server's answer for one product (the detail page). Kept so that a toggle starts from
   * what the screen shows; an unsettled toggle still wins until it settles.
   */
  learn(productId: string, favorite: boolean): void {
    if (this.confirmed.has(productId) === favorite) return;
    if (favorite) this.confirmed.add(productId);
    else this.confirmed.delete(productId);
    if (!this.isPending(productId)) this.emit({ productId, favorite, reason: 'loaded' });
  }

  subscribe(listener: (change: FavoriteChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Flips the favorite; resolves with the state the outbox reached ('sent' | 'queued' | 'failed'). */
  async toggle(productId: string): Promise<OutboxItemState> {
    const toggle: Toggle = { productId, favorite: !this.isFavorite(productId) };
    this.latest.set(productId, toggle);
    this.emit({ productId, favorite: toggle.favorite, reason: 'optimistic' });
    try {
      const outcome = await this.sink.submit(
        favoriteMutation(productId, toggle.favorite, this.newKey()),
        `${TAG_PREFIX}${productId}`,
      );
      toggle.outboxId = outcome.id;
      if (outcome.state === 'queued') this.byOutboxId.set(outcome.id, toggle);
      else this.settle(toggle, outcome.state === 'sent');
      return outcome.state;
    } catch (_error) {
      this.settle(toggle, false);
      return 'failed';
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  private onOutbox(event: OutboxEvent): void {
    if (event.type !== 'item' || event.state === 'queued') return;
    const toggle = this.byOutboxId.get(event.id);
    if (!toggle) return;
    this.byOutboxId.delete(event.id);
    this.settle(toggle, event.state === 'sent');
  }

  private settle(toggle: Toggle, applied: boolean): void {
    if (applied) {
      if (toggle.favorite) this.confirmed.add(toggle.productId);
      else this.confirmed.delete(toggle.productId);
    }
    const newest = this.latest.get(toggle.productId) === toggle;
    if (newest) this.latest.delete(toggle.productId);
    // An older toggle settling under a newer one changes nothing on screen.
    if (!newest) return;
    this.emit({
      productId: toggle.productId,
      favorite: this.isFavorite(toggle.productId),
      reason: applied ? 'confirmed' : 'reverted',
    });
  }

  private emit(change: FavoriteChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
