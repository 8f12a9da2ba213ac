/** Products tab: a thin binding of ProductsController to the Page lifecycle and events. */
import { services } from '../../services/container';
import { plainError } from '../../services/error-text';
import { favorites } from '../../services/favorites-registry';
import { ICONS } from '../../services/icons';
import { categoryTabViews } from '../../services/product-categories';
import type { CategoryTabView } from '../../services/product-categories';
import { applyTabBarTexts } from '../../services/locale';
import { textsFor } from '../../i18n/messages';
import { onLocaleChange, t } from '../../utils/i18n';
import { ProductsController, INITIAL_PRODUCTS_DATA } from './controller';
import type { ProductsData } from './controller';

type Data = ProductsData & {
  t: Record<string, string>;
  emptySearchText: string;
  skeletonRows: number[];
  icons: typeof ICONS;
  categoryTabs: CategoryTabView[];
};

interface Custom {
  controller?: ProductsController;
  offLocale?: () => void;
  renderTexts(): void;
  onSearchInput(event: WechatMiniprogram.Input): void;
  onSearchConfirm(event: WechatMiniprogram.InputConfirm): void;
  onClearSearch(): void;
  onSelectCategory(event: WechatMiniprogram.TouchEvent): void;
  onRetry(): void;
  onRetryFooter(): void;
  onOpenProduct(event: WechatMiniprogram.TouchEvent): void;
  onToggleFavorite(event: WechatMiniprogram.TouchEvent): void;
}

Page<Data, Custom>({
  data: {
    ...INITIAL_PRODUCTS_DATA,
    t: {},
    emptySearchText: '',
    skeletonRows: [1, 2, 3, 4, 5, 6],
    icons: ICONS,
    categoryTabs: [],
  },

  onLoad() {
    const app = services();
    this.controller = new ProductsController(this, {
      apiBase: app.config.apiBase,
      pageSize: app.config.pageSize,
      connectivity: app.connectivity,
      favorites: favorites(),
      describeError: plainError,
    });
    this.renderTexts();
    this.offLocale = onLocaleChange(() => this.renderTexts());
    void this.controller.start();
  },

  onShow() {
    applyTabBarTexts(wx);
  },

  onUnload() {
    this.controller?.stop();
    this.offLocale?.();
  },

  onPullDownRefresh() {
    const done = (): void => {
      wx.stopPullDownRefresh();
    };
    if (!this.controller) return done();
    // The indicator stops whatever the outcome.
    this.controller.reload({ fresh: true }).then(done, done);
  },

  onReachBottom() {
    void this.controller?.loadMore();
  },

  renderTexts() {
    const texts = textsFor('products', 'common');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({
      t: texts,
      emptySearchText: t('products.emptySearch', { q: this.data.query }),
      categoryTabs: categoryTabViews(t),
    });
  },

  onSearchInput(event) {
    this.controller?.onSearchInput(event.detail.value);
    this.setData({ emptySearchText: t('products.emptySearch', { q: event.detail.value }) });
  },

  onSearchConfirm(event) {
    this.controller?.onSearchInput(event.detail.value);
  },

  onClearSearch() {
    this.controller?.clearSearch();
  },

  onSelectCategory(event) {
    this.controller?.selectCategory(String(event.currentTarget.dataset.category ?? ''));
  },

  onRetry() {
    void this.controller?.reload({ fresh: true });
  },

  onRetryFooter() {
    void this.controller?.retryFooter();
  },

  onOpenProduct(event) {
    const id = String(event.currentTarget.dataset.id ?? '');
    const product = this.controller?.product(id);
    if (!product) return;
    wx.navigateTo({
      url: `/pages/product-detail/index?id=${encodeURIComponent(id)}`,
      // The detail page paints this at once, then refreshes it.
      success: (result) => result.eventChannel.emit('product', product),
    });
  },

  onToggleFavorite(event) {
    const id = String(event.currentTarget.dataset.id ?? '');
    if (!id || !this.controller) return;
    void this.controller.toggleFavorite(id).then((state) => {
      if (state === 'queued') wx.showToast({ title: t('products.favoriteQueued'), icon: 'none' });
      if (state === 'failed') wx.showToast({ title: t('products.favoriteFailed'), icon: 'none' });
    });
  },
});
