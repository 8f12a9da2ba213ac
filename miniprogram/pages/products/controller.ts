/**
 * The product list: stale-while-revalidate first page, skeleton on a cold start, infinite
 * scroll with out-of-order pages merged by PagedList, pull-down refresh, debounced search,
 * empty / error / offline states and optimistic favorites. No request logic lives here:
 * endpoints come from api/products, favorites from the FavoritesStore (outbox).
 */
import type { PageResult, Product, ProductCategory } from '../../../typings/api';
import { listProducts } from '../../api/products';
import { listFavorites } from '../../api/favorites';
import { debounce } from '../../services/debounce';
import type { Debounced } from '../../services/debounce';
import type { FavoritesStore } from '../../services/favorites';
import { PagedList } from '../../services/paged-list';
import type { PageTicket } from '../../services/paged-list';
import type { PageView } from '../../services/page-view';
import { Subscriptions } from '../../services/page-view';
import { categoryFromTab } from '../../services/product-categories';
import type { CategoryTab } from '../../services/product-categories';
import { productView } from '../../services/product-view';
import type { ProductView } from '../../services/product-view';
import { CancelGroup } from '../../utils/cancel';
import type { Connectivity } from '../../utils/contracts';
import { isCancelled } from '../../utils/errors';

export type ListPhase = 'skeleton' | 'ready' | 'empty' | 'error' | 'offline';

export interface ProductsData {
  list: ProductView[];
  hasMore: boolean;
  total: number;
  phase: ListPhase;
  loadingMore: boolean;
  footerError: boolean;
  query: string;
  /** The selected category tab: `all` or a ProductCategory. */
  category: CategoryTab;
  errorText: string;
}

export interface ProductsDeps {
  apiBase: string;
  pageSize: number;
  connectivity: Connectivity;
  favorites: FavoritesStore;
  describeError: (error: unknown) => string;
  searchDelayMs?: number;
}

export const INITIAL_PRODUCTS_DATA: ProductsData = {
  list: [],
  hasMore: true,
  total: 0,
  phase: 'skeleton',
  loadingMore: false,
  footerError: false,
  query: '',
  category: 'all',
  errorText: '',
};

export class ProductsController {
  readonly paging = new PagedList<ProductView>('list');
  private readonly products = new Map<string, Product>();
  private readonly requests = new CancelGroup();
  private readonly subscriptions = new Subscriptions();
  private readonly search: Debounced<[string]>;
  private query = '';
  private category: ProductCategory | undefined;

  constructor(
    private readonly view: PageView<ProductsData>,
    private readonly deps: ProductsDeps,
  ) {
    this.search = debounce((text: string) => this.applySearch(text), deps.searchDelayMs ?? 300);
  }

  start(): Promise<void> {
    this.subscriptions.add(
      this.deps.favorites.subscribe((change) => {
        const patch = this.paging.update(change.productId, (item) => ({
          ...item,
          favorite: change.favorite,
        }));
        if (patch) this.view.setData(patch);
      }),
      this.deps.connectivity.subscribe((state) => {
        // Back online on an error/offline screen: try again without being asked.
        const phase = this.view.data.phase;
        if (state.online && (phase === 'error' || phase === 'offline')) void this.reload();
      }),
    );
    void this.loadFavorites();
    return this.reload();
  }

  stop(): void {
    this.search.cancel();
    this.requests.cancelAll();
    this.subscriptions.releaseAll();
  }

  product(id: string): Product | undefined {
    return this.products.get(id);
  }

  /**
   * First page: from cache at once when there is one, then fresh (onUpdate). `clear` empties
   * the list first (another category: its old items are wrong, not just old).
   */
  reload(options: { fresh?: boolean; clear?: boolean } = {}): Promise<void> {
    const ticket = this.paging.restart({ clear: options.clear });
    const status: Partial<ProductsData> = { footerError: false, loadingMore: false };
    if (options.clear) status.list = [];
    if (this.paging.length === 0 && this.view.data.phase !== 'skeleton') status.phase = 'skeleton';
    this.view.setData(status);
    // The fresh answer may overtake the cached one: the cached one must not undo it.
    let freshApplied = false;
    return listProducts(
      {
        current: 1,
        pageSize: this.deps.pageSize,
        q: this.query || undefined,
        category: this.category,
      },
      {
        signal: this.requests.signal,
        fresh: options.fresh,
        // An empty list shows the failure as its error state; over a list, a toast says it.
        silent: this.paging.length === 0,
        onUpdate: (fresh) => {
          freshApplied = true;
          this.apply(ticket, fresh);
        },
      },
    ).then(
      (answer) => {
        if (!freshApplied) this.apply(ticket, answer);
      },
      (error: unknown) => this.firstPageFailed(ticket, error),
    );
  }

  /** onReachBottom: the next page, unless everything is shown or it is already loading. */
  loadMore(): Promise<void> {
    if (this.view.data.phase !== 'ready') return Promise.resolve();
    const ticket = this.paging.next();
    if (!ticket) return Promise.resolve();
    this.view.setData({ loadingMore: true, footerError: false });
    return listProducts(
      {
        current: ticket.page,
        pageSize: this.deps.pageSize,
        q: this.query || undefined,
        category: this.category,
      },
      { signal: this.requests.signal },
    ).then(
      (answer) => this.apply(ticket, answer),
      (error: unknown) => {
        if (isCancelled(error) || ticket.generation !== this.paging.generation) return;
        this.paging.fail(ticket);
        this.view.setData({ loadingMore: false, footerError: true });
      },
    );
  }

  /** The footer's retry after a failed page. */
  retryFooter(): Promise<void> {
    return this.paging.firstPagePending ? this.reload() : this.loadMore();
  }

  /** Search box input; the request goes out after the user paused typing. */
  onSearchInput(text: string): void {
    this.view.setData({ query: text });
    this.search(text);
  }

  /** A category tab: the list starts over in that category; the old one's load is dropped. */
  selectCategory(tab: string): void {
    const category = categoryFromTab(tab);
    if (category === null || category === this.category) return;
    this.category = category;
    this.view.setData({ category: category ?? 'all' });
    this.requests.cancelAll();
    void this.reload({ clear: true });
  }

  clearSearch(): void {
    this.view.setData({ query: '' });
    this.search('');
    this.search.flush();
  }

  toggleFavorite(id: string): ReturnType<FavoritesStore['toggle']> {
    return this.deps.favorites.toggle(id);
  }

  private applySearch(text: string): void {
    const query = text.trim();
    if (query === this.query) return;
    this.query = query;
    // Older answers are for another query: drop them (generation) and stop waiting for them.
    this.requests.cancelAll();
    void this.reload();
  }

  private apply(ticket: PageTicket, answer: PageResult<Product>): void {
    if (ticket.generation !== this.paging.generation) return;
    for (const product of answer.list) this.products.set(product.id, product);
    const views = answer.list.map((product) =>
      productView(this.deps.apiBase, product, this.deps.favorites.isFavorite(product.id)),
    );
    const patch = this.paging.accept(ticket, { ...answer, list: views });
    const phase: ListPhase = this.paging.length === 0 ? 'empty' : 'ready';
    const status: Record<string, unknown> = { loadingMore: this.paging.loading };
    if (this.view.data.phase !== phase) status.phase = phase;
    this.view.setData({ ...(patch ?? {}), ...status });
    // A revalidated page 1 replaced the pages below it: fetch the page the person asked for.
    if (this.paging.stalled) void this.loadMore();
  }

  private firstPageFailed(ticket: PageTicket, error: unknown): void {
    if (isCancelled(error) || ticket.generation !== this.paging.generation) return;
    this.paging.fail(ticket);
    if (this.paging.length > 0) {
      // Keep what is on screen; the footer offers a retry.
      this.view.setData({ footerError: true, loadingMore: false, phase: 'ready' });
      return;
    }
    const offline = !this.deps.connectivity.state.online;
    this.view.setData({
      phase: offline ? 'offline' : 'error',
      errorText: this.deps.describeError(error),
      loadingMore: false,
    });
  }

  private async loadFavorites(): Promise<void> {
    try {
      const page = await listFavorites();
      this.deps.favorites.load(page.list.map((favorite) => favorite.productId));
    } catch (_error) {
      // Favorites are decoration: the list works without them.
    }
  }
}
