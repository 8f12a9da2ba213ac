/** Product detail: binds ProductDetailController; EventChannel, image preview and toasts here. */
import type { Product } from '../../../typings/api';
import { textsFor } from '../../i18n/messages';
import { services } from '../../services/container';
import { plainError } from '../../services/error-text';
import { favorites } from '../../services/favorites-registry';
import { ICONS } from '../../services/icons';
import type { OutboxItemState } from '../../services/ports';
import { onLocaleChange, t } from '../../utils/i18n';
import { INITIAL_DETAIL_DATA, ProductDetailController } from './controller';
import type { DetailData } from './controller';

type Data = DetailData & {
  t: Record<string, string>;
  tp: Record<string, string>;
  tc: Record<string, string>;
  icons: typeof ICONS;
};

interface Custom {
  controller?: ProductDetailController;
  offLocale?: () => void;
  renderTexts(): void;
  onPreview(): void;
  onRetry(): void;
  onToggleFavorite(): void;
}

const FAVORITE_TOASTS: Partial<Record<OutboxItemState, string>> = {
  queued: 'products.favoriteQueued',
  failed: 'products.favoriteFailed',
};

Page<Data, Custom>({
  data: { ...INITIAL_DETAIL_DATA, t: {}, tp: {}, tc: {}, icons: ICONS },

  onLoad(query) {
    let productId = '';
    try {
      productId = decodeURIComponent(query.id ?? '');
    } catch (_error) {
      productId = ''; // a malformed id shows the "could not load" state
    }
    this.controller = new ProductDetailController(this, {
      apiBase: services().config.apiBase,
      favorites: favorites(),
      describeError: plainError,
      missingText: t('detail.error'),
    });
    this.renderTexts();
    this.offLocale = onLocaleChange(() => this.renderTexts());
    void this.controller.start(productId);
    // Opened from the list: the product is already here, paint it before the request answers.
    this.getOpenerEventChannel?.()?.on?.('product', (product: Product) =>
      this.controller?.passedAhead(product),
    );
  },

  onUnload() {
    this.controller?.stop();
    this.offLocale?.();
  },

  renderTexts() {
    const texts = textsFor('detail');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({ t: texts, tp: textsFor('products'), tc: textsFor('common') });
  },

  onPreview() {
    const url = this.controller?.previewUrl();
    if (url) wx.previewImage({ urls: [url], current: url });
  },

  onRetry() {
    void this.controller?.retry();
  },

  onToggleFavorite() {
    void this.controller?.toggleFavorite().then((state) => {
      const key = state && FAVORITE_TOASTS[state];
      if (key) wx.showToast({ title: t(key), icon: 'none' });
    });
  },
});
