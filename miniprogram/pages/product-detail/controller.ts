/**
 * Product detail: paints the product the list passed ahead at once, then refreshes it from the
 * API. The favorite comes from the shared store (an optimistic toggle wins over a stale copy),
 * and the server's answer teaches the store, so a toggle always starts from what is shown.
 * A failure shows an error only when there is nothing to show.
 */
import type { Product, ProductDetail } from '../../../typings/api';
import { getProduct } from '../../api/products';
import type { FavoritesStore } from '../../services/favorites';
import type { PageView } from '../../services/page-view';
import { Subscriptions } from '../../services/page-view';
import type { OutboxItemState } from '../../services/ports';
import { productDetailView } from '../../services/product-view';
import type { ProductDetailView } from '../../services/product-view';
import { CancelGroup } from '../../utils/cancel';
import { isCancelled } from '../../utils/errors';

export interface DetailData {
  product: ProductDetailView | null;
  /** True once the API answered (the passed-ahead copy may be stale). */
  fresh: boolean;
  failed: boolean;
  errorText: string;
}

export const INITIAL_DETAIL_DATA: DetailData = {
  product: null,
  fresh: false,
  failed: false,
  errorText: '',
};

export interface DetailDeps {
  apiBase: string;
  favorites: Pick<FavoritesStore, 'isFavorite' | 'learn' | 'subscribe' | 'toggle'>;
  describeError(error: unknown): string;
  /** Said when the page has no product id at all. */
  missingText: string;
}

export class ProductDetailController {
  private readonly subscriptions = new Subscriptions();
  private readonly requests = new CancelGroup();
  private productId = '';

  constructor(
    private readonly view: PageView<DetailData>,
    private readonly deps: DetailDeps,
  ) {}

  /** onLoad: follow the favorite, then fetch. */
  start(productId: string): Promise<void> {
    this.productId = productId;
    this.subscriptions.add(
      this.deps.favorites.subscribe((change) => {
        if (change.productId === this.productId && this.view.data.product) {
          this.view.setData({ 'product.favorite': change.favorite });
        }
      }),
    );
    return this.refresh();
  }

  stop(): void {
    this.requests.cancelAll();
    this.subscriptions.releaseAll();
  }

  /** The list's copy, sent through the EventChannel: painted unless the API already answered. */
  passedAhead(product: Product | undefined): void {
    if (!this.view.data.fresh && product?.id === this.productId) this.show(product);
  }

  async refresh(): Promise<void> {
    if (!this.productId) {
      this.view.setData({ failed: true, errorText: this.deps.missingText });
      return;
    }
    try {
      // With nothing on screen the page shows the failure itself; over a copy, a toast does.
      const product = await getProduct(this.productId, {
        signal: this.requests.signal,
        silent: !this.view.data.product,
      });
      this.deps.favorites.learn(product.id, product.favorite);
      this.show(product);
      this.view.setData({ fresh: true, failed: false });
    } catch (error) {
      if (isCancelled(error)) return;
      // A passed-ahead copy stays on screen; only an empty page shows the error.
      if (!this.view.data.product) {
        this.view.setData({ failed: true, errorText: this.deps.describeError(error) });
      }
    }
  }

  retry(): Promise<void> {
    this.view.setData({ failed: false, errorText: '' });
    return this.refresh();
  }

  /** Resolves with the outbox state for the page's toast, or undefined with nothing shown. */
  toggleFavorite(): Promise<OutboxItemState | undefined> {
    const product = this.view.data.product;
    return product ? this.deps.favorites.toggle(product.id) : Promise.resolve(undefined);
  }

  /** The image to preview, if any. */
  previewUrl(): string | undefined {
    return this.view.data.product?.imageUrl || undefined;
  }

  private show(product: Product | ProductDetail): void {
    const view = productDetailView(this.deps.apiBase, product, false);
    view.favorite = this.deps.favorites.isFavorite(product.id);
    this.view.setData({ product: view });
  }
}
