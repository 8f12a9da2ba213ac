/**
 * Product detail: paints the product the list passed ahead (EventChannel) at once, then
 * refreshes it from the API; image preview; favorite toggle through the shared store.
 */
import type { Product, ProductDetail } from '../../../typings/api';
import { getProduct } from '../../api/products';
import { textsFor } from '../../i18n/messages';
import { services } from '../../services/container';
import { plainError } from '../../services/error-text';
import { favorites } from '../../services/favorites-registry';
import { ICONS } from '../../services/icons';
import { Subscriptions } from '../../services/page-view';
import { productDetailView } from '../../services/product-view';
import type { ProductDetailView } from '../../services/product-view';
import { CancelGroup } from '../../utils/cancel';
import { isCancelled } from '../../utils/errors';
import { onLocaleChange, t } from '../../utils/i18n';

interface Data {
  product: ProductDetailView | null;
  /** True once the API answered (the passed-ahead copy may be stale). */
  fresh: boolean;
  failed: boolean;
  errorText: string;
  t: Record<string, string>;
  tp: Record<string, string>;
  tc: Record<string, string>;
  icons: typeof ICONS;
}

interface Custom {
  productId: string;
  requests: CancelGroup;
  subscriptions: Subscriptions;
  show(product: Product | ProductDetail): void;
  refresh(): Promise<void>;
  renderTexts(): void;
  onPreview(): void;
  onRetry(): void;
  onToggleFavorite(): void;
}

Page<Data, Custom>({
  data: {
    product: null,
    fresh: false,
    failed: false,
    errorText: '',
    t: {},
    tp: {},
    tc: {},
    icons: ICONS,
  },
  productId: '',
  requests: new CancelGroup(),
  subscriptions: new Subscriptions(),

  onLoad(query) {
    this.productId = decodeURIComponent(query.id ?? '');
    this.requests = new CancelGroup();
    this.subscriptions = new Subscriptions();
    this.renderTexts();
    this.subscriptions.add(
      onLocaleChange(() => this.renderTexts()),
      favorites().subscribe((change) => {
        if (change.productId === this.productId && this.data.product) {
          this.setData({ 'product.favorite': change.favorite });
        }
      }),
    );
    const channel = this.getOpenerEventChannel?.();
    // Opened from the list: the product is already here, paint it before any request.
    channel?.on?.('product', (product: Product) => {
      if (!this.data.fresh && product?.id === this.productId) this.show(product);
    });
    void this.refresh();
  },

  onUnload() {
    this.requests.cancelAll();
    this.subscriptions.releaseAll();
  },

  show(product) {
    const favorite = favorites().isPending(product.id)
      ? favorites().isFavorite(product.id)
      : 'favorite' in product
        ? product.favorite
        : favorites().isFavorite(product.id);
    this.setData({ product: productDetailView(services().config.apiBase, product, favorite) });
  },

  async refresh() {
    if (!this.productId) {
      this.setData({ failed: true, errorText: t('detail.error') });
      return;
    }
    try {
      const product = await getProduct(this.productId, this.requests.signal);
      this.show(product);
      this.setData({ fresh: true, failed: false });
    } catch (error) {
      if (isCancelled(error)) return;
      // A passed-ahead copy stays on screen; only an empty page shows the error.
      if (!this.data.product) this.setData({ failed: true, errorText: plainError(error) });
    }
  },

  renderTexts() {
    const texts = textsFor('detail');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({ t: texts, tp: textsFor('products'), tc: textsFor('common') });
  },

  onPreview() {
    const url = this.data.product?.imageUrl;
    if (url) wx.previewImage({ urls: [url], current: url });
  },

  onRetry() {
    this.setData({ failed: false });
    void this.refresh();
  },

  onToggleFavorite() {
    if (!this.data.product) return;
    void favorites()
      .toggle(this.data.product.id)
      .then((state) => {
        if (state === 'queued') wx.showToast({ title: t('products.favoriteQueued'), icon: 'none' });
        if (state === 'failed') wx.showToast({ title: t('products.favoriteFailed'), icon: 'none' });
      });
  },
});
